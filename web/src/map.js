// The world map: Natural Earth countries (world-atlas 50m, bundled), the launch region, the target, reach
// polygons, cities and the nearest-point line. Pure d3-geo on SVG; no tiles, nothing fetched.
import { geoEqualEarth, geoGraticule10, geoPath, geoCentroid, geoDistance } from "d3-geo";
import { select } from "d3-selection";
import { scaleSqrt } from "d3-scale";
import { feature, mesh } from "topojson-client";
import world from "world-atlas/countries-50m.json";

const WIDTH = 960;
const HEIGHT = 500;

export const SYSTEM_COLOURS = ["#6b46c1", "#2f855a", "#b7791f", "#c53030", "#2c7a7b", "#805ad5", "#975a16"];

export class WorldMap {
  constructor(container) {
    this.land = feature(world, world.objects.land);
    this.borders = mesh(world, world.objects.countries, (a, b) => a !== b);
    this.projection = geoEqualEarth();
    this.path = geoPath(this.projection);
    this.svg = select(container).append("svg")
      .attr("viewBox", `0 0 ${WIDTH} ${HEIGHT}`)
      .attr("role", "img")
      .attr("aria-label", "World map of missile reach");
    const g = (cls) => this.svg.append("g").attr("class", cls);
    this.gBase = g("base");
    this.gReach = g("reach-layer");
    this.gTarget = g("target-layer");
    this.gBorders = g("borders-layer");
    this.gFrom = g("from-layer");
    this.gPhysics = g("physics-layer");
    this.gSystems = g("systems-layer");
    this.gLines = g("lines-layer");
    this.gCities = g("cities-layer");
    this.gLabels = g("labels-layer");
    this.reachPath = this.gReach.append("path").attr("class", "reach");
    this.reachEdge = this.gReach.append("path").attr("class", "reach-edge");
    this.centre(0);
  }

  /**
   * Rotate the map so that longitude `lon` (degrees) sits in the middle and, when `focus` (GeoJSON) is given,
   * zoom to it with a margin (never further out than the whole world, nor more than 10x in); redraw the base.
   */
  centre(lon, focus = null) {
    const world = [[6, 6], [WIDTH - 6, HEIGHT - 6]];
    this.projection.rotate([-lon, 0]).fitExtent(world, { type: "Sphere" });
    const worldScale = this.projection.scale();
    if (focus) {
      const mx = WIDTH * 0.16;
      const my = HEIGHT * 0.14;
      this.projection.fitExtent([[mx, my], [WIDTH - mx, HEIGHT - my]], focus);
      const k = this.projection.scale();
      if (!(k > worldScale) || !Number.isFinite(k)) this.projection.fitExtent(world, { type: "Sphere" });
      else if (k > 10 * worldScale) {
        const [cx, cy] = this.projection.invert([WIDTH / 2, HEIGHT / 2]);
        this.projection.scale(10 * worldScale).translate([WIDTH / 2, HEIGHT / 2]);
        const p = this.projection([cx, cy]);
        const t = this.projection.translate();
        this.projection.translate([t[0] + WIDTH / 2 - p[0], t[1] + HEIGHT / 2 - p[1]]);
      }
      // Keep the globe filling the frame: no blank band beyond the poles' line or the map's edge.
      const [[x0, y0], [x1, y1]] = this.path.bounds({ type: "Sphere" });
      const [tx, ty] = this.projection.translate();
      const dx = x0 > 0 ? -x0 : x1 < WIDTH ? WIDTH - x1 : 0;
      const dy = y0 > 0 ? -y0 : y1 < HEIGHT ? HEIGHT - y1 : 0;
      if (dx || dy) this.projection.translate([tx + dx, ty + dy]);
    }
    this.gBase.selectAll("*").remove();
    this.gBase.append("path").attr("class", "sphere").attr("d", this.path({ type: "Sphere" }));
    this.gBase.append("path").attr("class", "graticule").attr("d", this.path(geoGraticule10()));
    this.gBase.append("path").attr("class", "land").attr("d", this.path(this.land));
    this.gBorders.selectAll("*").remove();
    this.gBorders.append("path").attr("class", "borders").attr("d", this.path(this.borders));
    this.gBorders.append("path").attr("class", "coast").attr("d", this.path(this.land));
  }

  /** Draw a new query: launch region, target, cities; the map is centred on the launch region. */
  setQuery(payload, distance, view = this.view || "fit") {
    this.payload = payload;
    this.distance = distance;
    this.view = view;
    const fromGeom = { type: "Feature", geometry: payload.from_geometry };
    const toGeom = { type: "Feature", geometry: payload.to_geometry };
    const both = { type: "FeatureCollection", features: [fromGeom, toGeom] };
    const [lon] = geoCentroid(view === "fit" ? both : fromGeom);
    this.centre(Number.isFinite(lon) ? Math.round(lon) : 0, view === "fit" ? both : null);
    this.gTarget.selectAll("*").remove();
    this.gFrom.selectAll("*").remove();
    this.gLines.selectAll("*").remove();
    this.gLabels.selectAll("*").remove();
    this.gSystems.selectAll("*").remove();
    if (this.reachData) this.drawReach(this.reachData);
    this.drawPhysics();

    const isPoint = (g) => g && (g.type === "Point" || g.type === "MultiPoint");
    if (isPoint(payload.to_geometry)) {
      const [x, y] = this.projection(payload.to_geometry.coordinates);
      this.gTarget.append("circle").attr("class", "target").attr("cx", x).attr("cy", y).attr("r", 5);
    } else {
      this.gTarget.append("path").attr("class", "target").attr("d", this.path(toGeom));
    }
    if (isPoint(payload.from_geometry)) {
      const [x, y] = this.projection(payload.from_geometry.coordinates);
      this.gFrom.append("circle").attr("class", "from").attr("cx", x).attr("cy", y).attr("r", 4);
    } else {
      this.gFrom.append("path").attr("class", "from").attr("d", this.path(fromGeom));
    }

    if (distance?.nearest_points) {
      const a = distance.nearest_points.from;
      const b = distance.nearest_points.to;
      if (a && b && geoDistance([a[1], a[0]], [b[1], b[0]]) > 1e-4) {
        this.gLines.append("path").attr("class", "nearest")
          .attr("d", this.path({ type: "LineString", coordinates: [[a[1], a[0]], [b[1], b[0]]] }));
      }
    }

    const cities = payload.cities.slice(0, 400);
    const maxPop = cities.length ? cities[0].population : 1;
    const r = scaleSqrt().domain([0, maxPop]).range([0, 9]);
    this.gCities.selectAll("*").remove();
    this.cityNodes = this.gCities.selectAll("circle").data(cities)
      .join("circle")
      .attr("class", "city out")
      .attr("r", (d) => Math.max(1.2, r(d.population)))
      .attr("transform", (d) => {
        const p = this.projection([d.lon, d.lat]);
        return p ? `translate(${p[0].toFixed(1)},${p[1].toFixed(1)})` : "translate(-99,-99)";
      });
    this.cityNodes.append("title").text((d) => `${d.name} — population ${d.population.toLocaleString("en")}, ` +
      `${Math.round(d.distance_km).toLocaleString("en")} km`);
    this.cities = cities;

    const label = (geom, text) => {
      const c = isPoint(geom) ? geom.coordinates : geoCentroid({ type: "Feature", geometry: geom });
      const p = this.projection(c);
      if (p) this.gLabels.append("text").attr("class", "label").attr("x", p[0] + 6).attr("y", p[1] - 6).text(text);
    };
    label(payload.from_geometry, payload.from.name);
    label(payload.to_geometry, payload.to.name);
  }

  /** Switch between "fit" (zoom to launch region and target) and "world"; redraws everything. */
  setView(view) {
    if (!this.payload) return;
    this.setQuery(this.payload, this.distance, view);
    if (this.reachData) this.drawReach(this.reachData, this.rangeKm);
  }

  /** The slider's reach polygon ({fill, edge} from reachAt) and the in/out state of the cities. */
  drawReach(reach, rangeKm) {
    this.reachData = reach;
    if (rangeKm !== undefined) this.rangeKm = rangeKm;
    this.reachPath.attr("d", this.path(reach.fill) || "");
    this.reachEdge.attr("d", this.path(reach.edge) || "");
    if (this.cityNodes && rangeKm !== undefined) {
      this.cityNodes.attr("class", (d) => (d.distance_km <= rangeKm ? "city in" : "city out"));
    }
  }

  /** Outlines of checked systems: [{reachLow, reachHigh, colour, name}]. */
  drawSystems(items) {
    this.gSystems.selectAll("*").remove();
    for (const it of items) {
      this.gSystems.append("path").attr("class", "system-reach low").attr("stroke", it.colour)
        .attr("d", this.path(it.reachLow.edge) || "");
      if (it.reachHigh) {
        this.gSystems.append("path").attr("class", "system-reach high").attr("stroke", it.colour)
          .attr("d", this.path(it.reachHigh.edge) || "");
      }
    }
  }

  /**
   * The reach from the physics (GET /api/trajectory/reach): {feature, launchPoint: [lat, lon], name}, or null to
   * remove it. The polygon has d3-geo's winding (clockwise round the launch point), so it may be any size.
   */
  setPhysics(physics) {
    this.physics = physics || null;
    this.drawPhysics();
  }

  drawPhysics() {
    this.gPhysics.selectAll("*").remove();
    const p = this.physics;
    if (!p || !p.feature?.geometry) return;
    this.gPhysics.append("path").attr("class", "physics-reach").attr("d", this.path(p.feature) || "");
    const [lat, lon] = p.launchPoint || [];
    const xy = Number.isFinite(lat) && Number.isFinite(lon) ? this.projection([lon, lat]) : null;
    if (xy) {
      this.gPhysics.append("circle").attr("class", "physics-launch").attr("cx", xy[0]).attr("cy", xy[1]).attr("r", 4)
        .append("title").text(`Launch point ${lat.toFixed(2)}°, ${lon.toFixed(2)}°`);
    }
  }
}
