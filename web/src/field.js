// The distance raster of the launch region, contoured in the browser so the range slider redraws without a
// server round-trip. See GET /api/reach/field.
import { contours } from "d3-contour";

/** Decode the /api/reach/field grid into {nx, ny, lon0, lat0, dlon, dlat, values} (values = -km, Float64Array). */
export function decodeGrid(grid) {
  const bin = atob(grid.data);
  const n = grid.nx * grid.ny;
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const km = new Uint16Array(bytes.buffer, 0, n);
  // d3-contour draws polygons where value >= threshold; negating makes "distance <= range" the inside.
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = km[i] === 65535 ? -Infinity : -km[i];
  return { ...grid, values, generator: contours().size([grid.nx, grid.ny]).smooth(true) };
}

const clampLon = (x) => (x < -180 ? -180 : x > 180 ? 180 : x);
const clampLat = (y) => (y < -90 ? -90 : y > 90 ? 90 : y);

/**
 * The region within `rangeKm` of the launch region: {fill, edge}.
 * `fill` is a GeoJSON MultiPolygon with d3-geo's winding (clockwise exterior rings: the rings d3-contour emits
 * in raster space are reversed once rows run north to south and latitude points up).
 * `edge` is a MultiLineString of the same rings without the pieces that run along the raster's border
 * (the antimeridian and the poles), so the outline shows no seam where the raster wraps.
 */
export function reachAt(field, rangeKm) {
  const { nx, ny, lon0, lat0, dlon, dlat } = field;
  const mp = field.generator.contour(field.values, -rangeKm);
  const fill = [];
  const edge = [];
  for (const polygon of mp.coordinates) {
    const rings = [];
    for (const ring of polygon) {
      const n = ring.length;
      const out = new Array(n);
      let run = [];
      for (let k = 0; k < n; k++) {
        const [x, y] = ring[n - 1 - k];
        const p = [clampLon(lon0 + (x - 0.5) * dlon), clampLat(lat0 + (y - 0.5) * dlat)];
        out[k] = p;
        // Outline: break the line at segments lying on the raster border.
        if (k > 0) {
          const [px, py] = ring[n - k];
          const onBorder = (px <= 0 && x <= 0) || (px >= nx && x >= nx) || (py <= 0 && y <= 0) || (py >= ny && y >= ny);
          if (onBorder) {
            if (run.length > 1) edge.push(run);
            run = [p];
            continue;
          }
        }
        run.push(p);
      }
      if (run.length > 1) edge.push(run);
      rings.push(out);
    }
    fill.push(rings);
  }
  return {
    fill: { type: "MultiPolygon", coordinates: fill },
    edge: { type: "MultiLineString", coordinates: edge },
  };
}

/** Preview of the coverage figures at `rangeKm` from the sampled target cells and cities. */
export function previewCoverage(payload, rangeKm) {
  const c = payload.cells;
  let area = 0;
  let total = 0;
  for (let i = 0; i < c.weight.length; i++) {
    total += c.weight[i];
    if (c.distance_km[i] <= rangeKm) area += c.weight[i];
  }
  let popIn = 0;
  let popAll = 0;
  let nIn = 0;
  for (const city of payload.cities) {
    popAll += city.population;
    if (city.distance_km <= rangeKm) {
      popIn += city.population;
      nIn += 1;
    }
  }
  const largestIn = [];
  const largestOut = [];
  for (const city of payload.cities) { // sorted by population, largest first
    if (city.distance_km <= rangeKm) { if (largestIn.length < 10) largestIn.push(city); }
    else if (largestOut.length < 10) largestOut.push(city);
    if (largestIn.length >= 10 && largestOut.length >= 10) break;
  }
  return {
    range_km: rangeKm,
    area_fraction: total > 0 ? area / total : null,
    population_fraction: popAll > 0 ? popIn / popAll : null,
    cities_in_range: nIn,
    cities_total: payload.cities.length,
    largest_in: largestIn,
    largest_out: largestOut,
  };
}
