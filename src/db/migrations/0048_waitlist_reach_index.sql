-- Issue 19 (no cost that grows with the whole table), the waitlist in a dense city: when a therapist's time frees,
-- the match read every open "any therapist" studio entry within 100 km of their studios (the furthest any client
-- goes), though most clients go a few kilometres. Each entry's reach is now indexed: a box that holds every point
-- within its radius_km of where the client searched (as src/domain/geo-box.ts's boxAround builds it: never too small,
-- every longitude near a pole or across ±180°), so the match reads only the entries that reach one of the studios.
-- The exact distance is still the engine's. test/api/query-plans.test.ts has a dense city that fails without it.
CREATE FUNCTION waitlist_reach(lat double precision, lng double precision, radius_km double precision)
  RETURNS box
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN far >= 89.5 OR bound >= 0.99 OR lng - dlng < -180 OR lng + dlng > 180
      THEN box(point(-180, south), point(180, north))
    ELSE box(point(lng - dlng, south), point(lng + dlng, north))
  END
  FROM (
    SELECT south, north, far, bound,
      CASE WHEN bound < 0.99 THEN 2 * degrees(asin(bound)) * 1.001 ELSE 360 END AS dlng
    FROM (
      SELECT south, north, far,
        r / (2 * 6371.0088 * sqrt(greatest(cos(radians(lat)) * cos(radians(least(far, 90))), 1e-12))) AS bound
      FROM (
        SELECT lat - dlat AS south, lat + dlat AS north, greatest(abs(lat - dlat), abs(lat + dlat)) AS far, r
        FROM (SELECT r, degrees(r / 6371.0088) * 1.001 AS dlat FROM (SELECT greatest(0, radius_km) * 1.001 AS r) a) b
      ) c
    ) d
  ) e
$$;
CREATE INDEX waitlist_entries_open_reach_idx ON waitlist_entries USING gist (waitlist_reach(lat, lng, radius_km))
  WHERE status IN ('waiting', 'offered') AND therapist_id IS NULL AND mode = 'studio';
