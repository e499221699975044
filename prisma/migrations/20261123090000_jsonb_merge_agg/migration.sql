-- jsonb_merge_agg(object): the union of many JSON objects (later keys win), as one object.
-- The health score counts the distinct modules an account used over 30 days: merging each
-- day's {"module": uses} object in the same pass that sums active users costs one key
-- expansion per account instead of one per usage row.
CREATE AGGREGATE jsonb_merge_agg(jsonb) (
  SFUNC = jsonb_concat,
  STYPE = jsonb,
  INITCOND = '{}',
  COMBINEFUNC = jsonb_concat,
  PARALLEL = SAFE
);
