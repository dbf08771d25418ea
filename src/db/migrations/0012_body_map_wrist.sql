-- The body map gains the front of the knee, the spine (cervical, thoracic, lumbar, sacral) and a wrist that reaches
-- up the lower forearm. The new regions need no rewrite of stored data, but "hand" used to mean "Hand and wrist"
-- and now means the hand alone: every place a stored intake names a hand, it now names the hand and the wrist of
-- that side, so a fracture, wound, arthritic joint or anything else once marked on "Hand and wrist" still protects
-- the wrist. A body-map entry on a hand is copied to the wrist with the same ratings and note.
--
-- Only intakes are rewritten: their places drive screening. Notes, measurements and plans keep "hand.<side>", still a
-- valid region (signed notes and their amendments cannot be changed anyway); booking screenings are recomputed from
-- the intake whenever a booking is screened again.

CREATE FUNCTION knotwork_0012_split_hands(refs jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(v.ref ORDER BY e.n, v.k), '[]'::jsonb)
  FROM jsonb_array_elements(refs) WITH ORDINALITY AS e(ref, n)
  CROSS JOIN LATERAL (
    VALUES
      (1, e.ref),
      (2, CASE WHEN e.ref #>> '{}' IN ('hand.left', 'hand.right')
               AND NOT refs @> to_jsonb(ARRAY['wrist.' || split_part(e.ref #>> '{}', '.', 2)])
          THEN to_jsonb('wrist.' || split_part(e.ref #>> '{}', '.', 2)) END)
  ) AS v(k, ref)
  WHERE v.ref IS NOT NULL
$$;

CREATE FUNCTION knotwork_0012_split_hand_entries(entries jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(v.entry ORDER BY e.n, v.k), '[]'::jsonb)
  FROM jsonb_array_elements(entries) WITH ORDINALITY AS e(entry, n)
  CROSS JOIN LATERAL (
    VALUES
      (1, e.entry),
      (2, CASE WHEN e.entry ->> 'region' IN ('hand.left', 'hand.right')
               AND NOT entries @> jsonb_build_array(jsonb_build_object('region', 'wrist.' || split_part(e.entry ->> 'region', '.', 2)))
          THEN jsonb_set(e.entry, '{region}', to_jsonb('wrist.' || split_part(e.entry ->> 'region', '.', 2))) END)
  ) AS v(k, entry)
  WHERE v.entry IS NOT NULL
$$;

CREATE FUNCTION knotwork_0012_intake(data jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  path text;
  list text;
BEGIN
  IF jsonb_typeof(data -> 'bodyMap') = 'array' THEN
    data := jsonb_set(data, '{bodyMap}', knotwork_0012_split_hand_entries(data -> 'bodyMap'));
  END IF;
  FOREACH path IN ARRAY ARRAY[
    '{pressure,avoidRegions}',
    '{conditions,openWounds,regions}',
    '{conditions,skinInfection,regions}',
    '{conditions,rheumatoidArthritis,joints}',
    '{conditions,osteoarthritis,inflamedJoints}',
    '{conditions,varicoseVeins,regions}',
    '{conditions,cancer,tumourSites}',
    '{conditions,cancer,boneMetastasisSites}',
    '{conditions,cancer,lymphoedemaRiskRegions}',
    '{conditions,diabetesNeuropathy,reducedSensation}'
  ] LOOP
    IF jsonb_typeof(data #> path::text[]) = 'array' THEN
      data := jsonb_set(data, path::text[], knotwork_0012_split_hands(data #> path::text[]));
    END IF;
  END LOOP;
  FOREACH list IN ARRAY ARRAY['injuries', 'surgeries'] LOOP
    IF jsonb_typeof(data -> list) = 'array' THEN
      data := jsonb_set(data, ARRAY[list], (
        SELECT coalesce(jsonb_agg(
                 CASE WHEN jsonb_typeof(item -> 'regions') = 'array'
                      THEN jsonb_set(item, '{regions}', knotwork_0012_split_hands(item -> 'regions'))
                      ELSE item END ORDER BY n), '[]'::jsonb)
        FROM jsonb_array_elements(data -> list) WITH ORDINALITY AS t(item, n)));
    END IF;
  END LOOP;
  RETURN data;
END
$$;

UPDATE intake_versions SET data = knotwork_0012_intake(data)
  WHERE data::text LIKE '%"hand.left"%' OR data::text LIKE '%"hand.right"%';

DROP FUNCTION knotwork_0012_intake(jsonb);
DROP FUNCTION knotwork_0012_split_hand_entries(jsonb);
DROP FUNCTION knotwork_0012_split_hands(jsonb);
