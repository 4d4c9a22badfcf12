/** The credit OpenStreetMap's licence (ODbL) asks for, on every map, file and report made from its data. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)';
