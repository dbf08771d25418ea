-- A market's neighbourhoods: the places people pick from where Knotwork has no geocoder (search near, a studio's
-- area, a mobile therapist's base). Owned by the therapists capability with the markets; the seed writes them, as it
-- writes the markets. `position` keeps the order people see them in (the first is where a search starts).
CREATE TABLE neighbourhoods (
  market text NOT NULL REFERENCES markets (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  position integer NOT NULL,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  PRIMARY KEY (market, name),
  UNIQUE (market, position)
);
