import { describe, expect, it } from 'vitest';
import { LoadState } from '../../src/ui/lazy-component';

// The lazy panels' load state: a panel whose effect registers after its code has landed (a loaded
// machine delays effects by a frame or more) must still be told, or it stays blank for good.

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LoadState', () => {
  it('tells a listener registered after the load ended (the panel that rendered blank before it)', async () => {
    const state = new LoadState(Promise.resolve('panel'));
    await tick();
    expect(state.loaded).toBe('panel');
    let told = 0;
    state.whenSettled(() => told++);
    await tick();
    expect(told).toBe(1);
  });

  it('tells a listener registered before the load ended, once, when it ends', async () => {
    let finish!: (value: string) => void;
    const state = new LoadState(new Promise<string>((resolve) => (finish = resolve)));
    let told = 0;
    state.whenSettled(() => told++);
    await tick();
    expect(told).toBe(0);
    expect(state.loaded).toBeNull();
    finish('panel');
    await tick();
    expect(told).toBe(1);
    expect(state.loaded).toBe('panel');
  });

  it('settles a failed load as failed, reports the error once and tells late listeners too', async () => {
    const errors: unknown[] = [];
    const state = new LoadState(Promise.reject(new Error('chunk gone')), (error) => errors.push(error));
    await tick();
    expect(state.failed).toBe(true);
    expect(state.loaded).toBeNull();
    expect(errors).toHaveLength(1);
    let told = false;
    state.whenSettled(() => {
      told = true;
    });
    await tick();
    expect(told).toBe(true);
  });
});
