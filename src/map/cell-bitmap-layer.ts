import { BitmapLayer } from '@deck.gl/layers';
import { cellStateColors } from './cell-colors';

/**
 * A BitmapLayer for the cell raster (`cell-raster.ts`) that also hatches "neither" cells, so that state
 * is never told by colour alone. "Neither" is the only state painted with its alpha, so the fragment
 * shader recognises it there and draws white diagonal stripes in screen space: visible at every zoom,
 * whatever the cell size on screen.
 */
export class CellBitmapLayer extends BitmapLayer {
  static override layerName = 'CellBitmapLayer';

  override getShaders() {
    const shaders = super.getShaders();
    const neitherAlpha = (cellStateColors.neither[3] / 255).toFixed(6);
    return {
      ...shaders,
      inject: {
        ...shaders.inject,
        'fs:DECKGL_FILTER_COLOR': `
  if (abs(color.a - ${neitherAlpha}) < 0.001 && mod(gl_FragCoord.x + gl_FragCoord.y, 7.0) < 1.75) {
    color = vec4(1.0, 1.0, 1.0, 0.9);
  }`,
      },
    };
  }
}
