import type { DefaultProps } from '@deck.gl/core';
import { BitmapLayer, type BitmapLayerProps } from '@deck.gl/layers';
import type { ShaderModule } from '@luma.gl/shadertools';
import { fractionsToDevicePixels, fullWidth, type WidthFractions } from '../geometry/swipe-clip';
import { cellStateColors } from '../theme/cell-colors';

/** Props CellBitmapLayer adds to BitmapLayer. */
export interface CellBitmapLayerProps {
  /** The span of the screen (fractions of the viewport's width) the layer draws in; the whole width by default. */
  widthFractions?: WidthFractions;
}

type CellClipProps = { minDevicePixels: number; maxDevicePixels: number };

/** The screen span, in drawing-buffer pixels, outside which the fragment shader discards cell fragments. */
const cellClipUniforms = {
  name: 'cellClip',
  vs: '',
  fs: `\
layout(std140) uniform cellClipUniforms {
  float minDevicePixels;
  float maxDevicePixels;
} cellClip;
`,
  uniformTypes: { minDevicePixels: 'f32', maxDevicePixels: 'f32' },
  defaultUniforms: { minDevicePixels: -1e9, maxDevicePixels: 1e9 },
} as const satisfies ShaderModule<CellClipProps>;

// deck.gl merges default props along the class chain: only the added prop is listed.
const defaultProps: DefaultProps<CellBitmapLayerProps & BitmapLayerProps> = {
  widthFractions: { type: 'array', value: fullWidth, compare: true },
};

/**
 * A BitmapLayer for the cell raster (`cell-raster.ts`) that also hatches "neither" cells, so that state
 * is never told by colour alone. "Neither" is the only state painted with its alpha, so the fragment
 * shader recognises it there and draws white diagonal stripes in screen space: visible at every zoom,
 * whatever the cell size on screen.
 *
 * It also draws only within `widthFractions` of the screen: the swipe comparison draws the baseline's
 * raster left of the divider and the scenario's right of it. Every cell layer, clipped or not, shares
 * this one shader program (the clip is a uniform), so a swipe compiles nothing new.
 */
export class CellBitmapLayer extends BitmapLayer<CellBitmapLayerProps> {
  static override layerName = 'CellBitmapLayer';
  static override defaultProps = defaultProps;

  override getShaders() {
    const shaders = super.getShaders();
    const neitherAlpha = (cellStateColors.neither[3] / 255).toFixed(6);
    return {
      ...shaders,
      modules: [...shaders.modules, cellClipUniforms],
      inject: {
        ...shaders.inject,
        'fs:DECKGL_FILTER_COLOR': `
  if (gl_FragCoord.x < cellClip.minDevicePixels || gl_FragCoord.x >= cellClip.maxDevicePixels) discard;
  if (abs(color.a - ${neitherAlpha}) < 0.001 && mod(gl_FragCoord.x + gl_FragCoord.y, 7.0) < 1.75) {
    color = vec4(1.0, 1.0, 1.0, 0.9);
  }`,
      },
    };
  }

  override draw(options: Parameters<BitmapLayer['draw']>[0]): void {
    const { viewport, devicePixelRatio } = options.shaderModuleProps.project as {
      viewport: { x: number; width: number };
      devicePixelRatio: number;
    };
    // The divider is placed in CSS pixels of the map; the shader compares drawing-buffer pixels.
    const [minDevicePixels, maxDevicePixels] = fractionsToDevicePixels(
      this.props.widthFractions ?? fullWidth,
      viewport.x,
      viewport.width,
      devicePixelRatio,
    );
    this.state.model?.shaderInputs.setProps({ cellClip: { minDevicePixels, maxDevicePixels } });
    super.draw(options);
  }
}
