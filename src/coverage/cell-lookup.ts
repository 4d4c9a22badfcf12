import type { Grid } from './grid';

/**
 * The position in a result's cell arrays of the residential cell holding `[longitude, latitude]`, or -1
 * (outside the grid, or not a residential cell). `cellIndex` holds the residential cells' grid indices
 * (`row × columns + column`) in ascending order, so a binary search finds it.
 */
export function residentialCellAt(
  grid: Grid,
  cellIndex: ArrayLike<number>,
  longitude: number,
  latitude: number,
): number {
  const column = Math.floor((longitude - grid.west) / grid.longitudeStep);
  const row = Math.floor((latitude - grid.south) / grid.latitudeStep);
  if (column < 0 || row < 0 || column >= grid.columns || row >= grid.rows) return -1;
  const index = row * grid.columns + column;
  let low = 0;
  let high = cellIndex.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (cellIndex[middle] < index) low = middle + 1;
    else if (cellIndex[middle] > index) high = middle - 1;
    else return middle;
  }
  return -1;
}
