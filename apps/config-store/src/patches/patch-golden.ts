import { ALL_OBJECTS } from '../materialize/model';

/**
 * Whether the live patch `p` is part of a config the cluster runs, as a boolean SQL
 * expression (a semi-join, evaluated in the listing's own statement). A golden config
 * (what the deployer last applied to an object) was materialized from every live patch up
 * to its patch version that reached the object, so the patch is golden when some object it
 * reaches — by name, through a label bound to it, or every object for rewrites (`*`),
 * with the bindings as they are now — has a golden config of a patch version at least the
 * patch's own, from a base of the patch's kind (when the patch names one).
 * Left to materialization, as in objects-reached.ts: the rewrites' format filters (a
 * registry rewrite skips objects without a pod spec) and patches that did not fit.
 */
export const PATCH_IS_GOLDEN = `EXISTS (
  SELECT 1 FROM golden_configs g
  JOIN base_configs gb ON gb.object_name = g.object_name AND gb.release_version = g.release_version
  WHERE g.patch_version >= p.version AND (p.kind IS NULL OR p.kind = gb.kind)
    AND (p.target = '${ALL_OBJECTS}' OR p.target = g.object_name
      OR EXISTS (SELECT 1 FROM label_bindings gl WHERE gl.label = p.target AND gl.object_name = g.object_name))
)`;
