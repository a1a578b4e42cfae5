import { DomainError, quoted, objectName, type BaseDocument } from '@slipway/contracts';
import { isJsonObject, toYamlText } from '@slipway/materializer';
import { integerProblems } from '../materialize/check-integers';
import { writtenProblems } from '../materialize/written-problems';
import { shapeProblems } from '../materialize/check-shape';
import { kubernetesNameRefusal } from './kubernetes-names';
import { parseYamlObject, refuseSecretAliases } from './parse-yaml';
import { splitDocuments, whereIs } from './split-documents';

/**
 * Multi-document YAML → base config documents, one per Kubernetes object, named by
 * `metadata.name`. Everything is checked before anything is stored: a bad document
 * refuses the whole upload.
 */
export function parseBaseConfigs(text: string, field = 'base_config'): BaseDocument[] {
  const sources = splitDocuments(text, field);
  if (sources.length === 0) throw new DomainError('invalid', `${field}: no Kubernetes objects found`, field);
  const seen = new Map<string, number>();
  return sources.map((source) => {
    const object = parseYamlObject(source, field);
    const where = `${field}: ${whereIs(source)}`;
    const { kind, apiVersion, metadata } = object;
    if (typeof kind !== 'string' || kind === '') throw new DomainError('invalid', `${where} has no "kind"`, field);
    if (typeof apiVersion !== 'string' || apiVersion === '') throw new DomainError('invalid', `${where} has no "apiVersion"`, field);
    const name = isJsonObject(metadata) ? metadata.name : undefined;
    if (typeof name !== 'string') throw new DomainError('invalid', `${where} has no "metadata.name"`, field);
    const checked = objectName.safeParse(name);
    if (!checked.success) throw new DomainError('invalid', `${where}: metadata.name ${quoted(name)} ${checked.error.issues[0]!.message}`, field);
    const refused = kubernetesNameRefusal(apiVersion, kind, name);
    if (refused) throw new DomainError('invalid', `${where}: metadata.name ${quoted(name)} ${refused}`, field);
    refuseSecretAliases(source, kind === 'Secret', field);
    // What the API server cannot store as given would fail every push (an integer out of
    // range, 4294967296 replicas, would wrap to 0 instead).
    const [problem] = [...shapeProblems({ apiVersion, kind }, object), ...integerProblems({ apiVersion, kind }, object), ...writtenProblems({ apiVersion, kind }, object)];
    if (problem) throw new DomainError('invalid', `${where}: ${problem}`, field);
    const earlier = seen.get(name);
    if (earlier !== undefined) throw new DomainError('invalid', `${where}: object "${name}" already defined by document ${earlier}`, field);
    seen.set(name, source.index);
    return { objectName: name, kind, apiVersion, config: toYamlText(object) };
  });
}
