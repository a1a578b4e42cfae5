import { ALL_OBJECTS } from '../materialize/model';

/**
 * The newest patch version of a golden config among the objects a target reaches, as a SQL
 * expression over `t.target` and `t.kind`: a live patch of that target (and kind) is part of
 * a config the cluster runs when its version is at most this one. A golden config (what the
 * deployer last applied to an object) was materialized from every live patch up to its patch
 * version that reached the object, so the patch is golden when some object it reaches — by
 * name, through a label bound to it, or every object for rewrites (`*`), with the bindings
 * as they are now — has a golden config of a patch version at least the patch's own, from a
 * base of the patch's kind (when the patch names one). Asked once per target and kind, not
 * per patch: ten thousand patches of one target asked it ten thousand times (1.6 s).
 * Left to materialization, as in objects-reached.ts: the rewrites' format filters (a
 * registry rewrite skips objects without a pod spec) and patches that did not fit.
 */
export const GOLDEN_UP_TO = `(
  SELECT max(g.patch_version) FROM golden_configs g
  JOIN base_configs gb ON gb.object_name = g.object_name AND gb.release_version = g.release_version
  WHERE (t.kind IS NULL OR t.kind = gb.kind)
    AND (t.target = '${ALL_OBJECTS}' OR t.target = g.object_name
      OR EXISTS (SELECT 1 FROM label_bindings gl WHERE gl.label = t.target AND gl.object_name = g.object_name))
)`;
