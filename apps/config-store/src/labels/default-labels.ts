import type { ConfigModel } from '../materialize/model';

/** The model with every object bound to its kind's label (the default bindings), as the projection binds them. */
export function withDefaultLabels(model: ConfigModel): ConfigModel {
  const next = new Map(model.labels);
  for (const base of model.bases.values()) next.set(base.objectName, new Set([...(next.get(base.objectName) ?? []), base.kind]));
  return { ...model, labels: next };
}
