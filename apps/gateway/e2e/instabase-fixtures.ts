/** Base configs in the document's style, and the dialect's way of calling, shared by the Instabase end-to-end tests. */
import { Bus, CommandBus } from '@slipway/bus';
import { hashToken, IssueToken } from '@slipway/contracts';
import { natsUrl } from '@slipway/testing';
import type { Stack } from './stack';

export const ROOT = '/api/v1/control_plane';
export const form = { 'content-type': 'application/x-www-form-urlencoded' };

export interface WorkloadFixture {
  kind?: 'Deployment' | 'StatefulSet';
  name: string;
  /** The `app` label its selector and pod template carry, and its one container's name. */
  app: string;
  image: string;
  replicas: number;
  namespace?: string;
}

/** A Deployment (or StatefulSet) running one container, selected by `app: <app>`. */
export function workloadYaml({ kind = 'Deployment', name, app, image, replicas, namespace }: WorkloadFixture): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}${namespace ? `\n  namespace: ${namespace}` : ''}
spec:${kind === 'StatefulSet' ? `\n  serviceName: ${app}` : ''}
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: ${app}
        image: ${image}
`;
}

/** The document's api-server Deployment at a release. */
export const apiServer = (release: string, replicas = 1, namespace?: string): string =>
  workloadYaml({ name: 'deployment-api-server', app: 'api-server', image: `gcr.io/instabase-public/api-server:${release}`, replicas, namespace });

/** A database StatefulSet. */
export const databaseStatefulSet = (replicas: number): string =>
  workloadYaml({ kind: 'StatefulSet', name: 'statefulset-db', app: 'db', image: 'postgres:16', replicas });

/** A Deployment without a selector: the API server refuses it, so it never applies. */
export const brokenDeployment = (tag: string, namespace?: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-broken${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: broken
        image: gcr.io/instabase-public/broken:${tag}
`;

/** The `data` of a refused write (and of its 202): the document's failure data, nothing applied. */
export const NOTHING_APPLIED = { successful_apply: [], failed_to_apply: [] };

/** A request to the dialect's root with its `Token` header (the stack's admin token unless another is given). */
export function callInstabase(stack: Stack, path: string, init: RequestInit = {}, token = stack.adminToken): ReturnType<Stack['request']> {
  return stack.request(`${ROOT}${path}`, { ...init, headers: { authorization: '', Token: token, ...(init.headers as Record<string, string> | undefined) } });
}

/** Issues `token` to `principal` with `read` on every namespace, as an admin would (a reader without admin, for what readers see). */
export async function issueReadToken(stack: Stack, principal: string, token: string): Promise<void> {
  const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
  try {
    const issued = await new CommandBus(bus).send(IssueToken, { principal, tokenHash: hashToken(token), grants: [{ namespace: '*', capabilities: ['read'] }] }, { actor: { principal: 'admin', kind: 'token' } });
    if (issued.status !== 'completed' || !issued.reply.ok) throw new Error(`the token for ${principal} was not issued: ${JSON.stringify(issued)}`);
  } finally {
    await bus.close();
  }
}
