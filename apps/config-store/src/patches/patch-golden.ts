import { ALL_OBJECTS } from '../materialize/model';

/**
 * For the targets (and kinds) of the patches in `listed`: the objects each reaches — by name,
 * through a label bound to it, or every object for rewrites (`*`), with the bindings as they
 * are now — then, per target and kind, the newest patch version of a golden config among
 * them (`golden_up_to`). A golden
 * config (what the deployer last applied to an object) was materialized from every live
 * patch up to its patch version that reached the object, so a patch is golden when its
 * version is at most that newest one, from a base of the patch's kind when the patch names one.
 * Left to materialization, as in objects-reached.ts: the rewrites' format filters (a
 * registry rewrite skips objects without a pod spec) and patches that did not fit.
 * CTEs for a WITH clause, after one named `listed`.
 */
export const TARGETS_REACH = `targets AS (
  SELECT DISTINCT target, kind FROM listed
), reached AS (
  SELECT t.target, t.kind, t.target AS object_name FROM targets t
  UNION SELECT t.target, t.kind, l.object_name FROM targets t JOIN label_bindings l ON l.label = t.target
  UNION SELECT t.target, t.kind, o.object_name FROM targets t JOIN (SELECT DISTINCT object_name FROM base_configs) o ON t.target = '${ALL_OBJECTS}'
), golden_up_to AS (
  SELECT r.target, r.kind, max(g.patch_version) AS up_to FROM reached r
  JOIN golden_configs g ON g.object_name = r.object_name
  JOIN base_configs gb ON gb.object_name = g.object_name AND gb.release_version = g.release_version
  WHERE r.kind IS NULL OR r.kind = gb.kind
  GROUP BY r.target, r.kind
)`;
