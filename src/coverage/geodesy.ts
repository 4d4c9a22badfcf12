/**
 * WGS84 ellipsoid radii, as metres per degree. The engine measures every distance in a small
 * local frame around the cell's row, scaled by these radii, which stays within 0.01% of the
 * geodesic distance up to a few kilometres at any latitude between 60°S and 60°N.
 */

const semiMajorAxisMeters = 6378137;
const flattening = 1 / 298.257223563;
const eccentricitySquared = flattening * (2 - flattening);
const radiansPerDegree = Math.PI / 180;

/** Metres per degree of latitude at `latitude` (the meridional radius of curvature). */
export function metersPerDegreeLatitude(latitude: number): number {
  const sin = Math.sin(latitude * radiansPerDegree);
  const w = 1 - eccentricitySquared * sin * sin;
  return (radiansPerDegree * semiMajorAxisMeters * (1 - eccentricitySquared)) / (w * Math.sqrt(w));
}

/** Metres per degree of longitude at `latitude` (the prime-vertical radius times cos latitude). */
export function metersPerDegreeLongitude(latitude: number): number {
  const radians = latitude * radiansPerDegree;
  const sin = Math.sin(radians);
  return (radiansPerDegree * semiMajorAxisMeters * Math.cos(radians)) / Math.sqrt(1 - eccentricitySquared * sin * sin);
}
