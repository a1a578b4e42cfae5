import type { CommandBus, SendResult } from '@slipway/bus';
import {
  ApplyPatches, BindLabels, DeleteObjectBindings, DeletePatch, SetNamespace, SetRegistry, SetUpDeploymentManager, UpdateBaseImage,
  UpdateDefaultLabels, UploadBaseConfigs,
} from '@slipway/contracts';
import { stringify } from 'yaml';

/**
 * Seeded random config-store writes for tests: uploads over three releases (one object
 * changes kind between them), patches by object name, by label and by kind label (some
 * that stop fitting when a later upload changes the base), label binds and unbinds,
 * patch deletes, namespace and registry rewrites, default labels and image updates.
 * The same seed gives the same sequence of writes.
 */
export type WriteKind = 'upload' | 'patch' | 'bind' | 'unbind' | 'delete-patch' | 'namespace' | 'registry' | 'defaults' | 'set-up' | 'image';

export interface ConfigWrite {
  kind: WriteKind;
  send(commands: CommandBus): Promise<SendResult<unknown>>;
}

const OBJECTS = ['d0', 'd1', 'd2', 'c0', 'c1', 's0', 'ns0', 'x0'] as const;
const RELEASES = ['r0', 'r1', 'r2'] as const;
const LABELS = ['blue', 'green', 'Deployment', 'ConfigMap', 'Service', 'Namespace'] as const;
const WEIGHTS: Array<[WriteKind, number]> = [
  ['upload', 16], ['patch', 30], ['bind', 14], ['unbind', 8], ['delete-patch', 10], ['namespace', 3], ['registry', 3],
  ['defaults', 6], ['set-up', 2], ['image', 8],
];
const actor = { principal: 'random-writes', kind: 'token' as const };

function kindOf(name: string, release: string): string {
  if (name === 'x0') return release === 'r1' ? 'Deployment' : 'ConfigMap';
  return { d: 'Deployment', c: 'ConfigMap', s: 'Service', n: 'Namespace' }[name[0]!]!;
}

/** Variants differ in what later patches find: annotations, a second container, `data.mode`. */
function documentOf(name: string, release: string, variant: number): object {
  const kind = kindOf(name, release);
  switch (kind) {
    case 'Deployment':
      return { apiVersion: 'apps/v1', kind, metadata: { name, ...(variant % 2 ? { annotations: { variant: String(variant) } } : {}) },
        spec: { replicas: variant + 1, template: { spec: { containers: [
          { name: 'app', image: `registry.example/team/${name}:${variant}` },
          ...(variant > 1 ? [{ name: 'side', image: 'registry.example/side:1' }] : []),
        ] } } } };
    case 'ConfigMap':
      return { apiVersion: 'v1', kind, metadata: { name, namespace: 'base' }, data: variant % 3 === 0 ? { other: String(variant) } : { mode: `m${variant}` } };
    case 'Service':
      return { apiVersion: 'v1', kind, metadata: { name }, spec: { ports: [{ name: 'http', port: 80 + variant }] } };
    default:
      return { apiVersion: 'v1', kind, metadata: { name, labels: { variant: String(variant) } } };
  }
}

export class RandomConfigWrites {
  private state: number;
  private readonly versions: number[] = [];
  private serial = 0;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Live patch versions, as the replies reported them: delete-patch picks among them. */
  applied(versions: readonly number[]): void {
    this.versions.push(...versions);
  }

  next(): ConfigWrite {
    const kind = this.weighted();
    return { kind, send: this.writer(kind) };
  }

  private writer(kind: WriteKind): (commands: CommandBus) => Promise<SendResult<unknown>> {
    const n = ++this.serial;
    switch (kind) {
      case 'upload': {
        const release = this.pick(RELEASES);
        const names = [...new Set(Array.from({ length: 1 + this.int(4) }, () => this.pick(OBJECTS)))];
        const text = names.map((name) => stringify(documentOf(name, release, this.int(4)))).join('---\n');
        return (c) => c.send(UploadBaseConfigs, { releaseVersion: release, text }, { actor });
      }
      case 'patch': {
        const text = Array.from({ length: 1 + this.int(2) }, (_, i) => this.patchText(n * 10 + i)).join('\n---\n');
        return (c) => c.send(ApplyPatches, { text, description: `random ${n}` }, { actor });
      }
      case 'bind': {
        const labels = [...new Set([this.pick(['blue', 'green']), this.pick(LABELS)])];
        const objects = [...new Set([this.pick(OBJECTS), this.pick([...OBJECTS, 'ghost'])])];
        return (c) => c.send(BindLabels, { labels, objects }, { actor });
      }
      case 'unbind': {
        const object = this.pick(OBJECTS);
        return (c) => c.send(DeleteObjectBindings, { object }, { actor });
      }
      case 'delete-patch': {
        // Now and then a version that does not exist (a refusal must change nothing).
        const version = this.versions.length && this.int(5) ? this.versions.splice(this.int(this.versions.length), 1)[0]! : 1 + this.int(1000);
        return (c) => c.send(DeletePatch, { version }, { actor });
      }
      case 'namespace': {
        const namespace = this.pick(['prod', 'staging', 'qa']);
        return (c) => c.send(SetNamespace, { namespace, description: '' }, { actor });
      }
      case 'registry': {
        const registry = this.pick(['mirror.example/a', 'mirror.example/b']);
        return (c) => c.send(SetRegistry, { registry, description: '' }, { actor });
      }
      case 'defaults':
        return (c) => c.send(UpdateDefaultLabels, {}, { actor });
      case 'set-up':
        return (c) => c.send(SetUpDeploymentManager, {}, { actor });
      case 'image': {
        const object = this.pick(['d0', 'd1', 'd2', 'x0']);
        const image = `registry.example/other/${object}:${n}`;
        return (c) => c.send(UpdateBaseImage, { object, image, comment: `image-${n}` }, { actor });
      }
    }
  }

  /** One patch document: strategic merge (any kind, or declared ConfigMap) or RFC 6902 that may not fit. */
  private patchText(n: number): string {
    // Half of the patches target a label (a kind or blue/green), the others an object or 'ghost', which never exists.
    const target = this.int(2) ? this.pick(LABELS) : this.pick([...OBJECTS, 'ghost']);
    switch (this.int(4)) {
      case 0:
        return `# target: ${target}\nmetadata:\n  annotations:\n    patch-${n}: "on"`;
      case 1:
        return `# target: ${target}\nkind: ConfigMap\ndata:\n  patch-${n}: "on"`;
      case 2:
        return JSON.stringify({ kind: 'ConfigMap', target, patch: [{ op: 'replace', path: '/data/mode', value: `json-${n}` }] });
      default:
        return JSON.stringify({ kind: 'Deployment', target, patch: [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: `registry.example/side:${n}` }] });
    }
  }

  private weighted(): WriteKind {
    let roll = this.int(WEIGHTS.reduce((sum, [, w]) => sum + w, 0));
    for (const [kind, weight] of WEIGHTS) {
      if (roll < weight) return kind;
      roll -= weight;
    }
    return 'patch';
  }

  /** A linear congruential generator: enough spread for choosing writes, and reproducible. */
  private int(bound: number): number {
    this.state = (Math.imul(this.state, 1_664_525) + 1_013_904_223) >>> 0;
    return Math.floor((this.state / 2 ** 32) * bound);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
