import {
  BaseConfigsUploaded, BaseImageUpdated, DatabaseSetUp, DefaultLabelsUpdated, DeploymentManagerSetUp, LabelsBound,
  ObjectBindingsDeleted, PatchDeleted, PatchesApplied, isConfigPatch, patchSecretValues, redactCopies, redactSecretText, SettingsUpdated, type EventDataOf,
} from '@slipway/contracts';
import { handlesTypes, type Projection, type RecordedEvent } from '@slipway/event-log';
import type { PoolClient } from 'pg';
import { configSeals } from '../sealing/config-seals';
import type { Affected } from './affected';
import { affectedBy, MATERIAL_TYPES } from './affected-by-events';
import { CONFIG_STORE_LOCK } from './load-model';
import { latestPerObject } from './latest-per-object';
import { rematerialize } from './rematerialize';

/** Every object bound to the label of its kind, as its latest base version has it. */
const BIND_DEFAULTS = `INSERT INTO label_bindings (label, object_name)
  SELECT kind, object_name FROM ${latestPerObject('base_configs', 'kind, object_name', 'NULL::text[]')} latest
  ON CONFLICT DO NOTHING`;

async function write(tx: PoolClient, event: RecordedEvent): Promise<void> {
  switch (event.type) {
    case BaseConfigsUploaded.type: {
      const data = event.data as EventDataOf<typeof BaseConfigsUploaded>;
      const configs = await configSeals.unsealTexts(tx, data.documents.map((d) => d.config));
      const docs = JSON.stringify(data.documents.map((d, i) => ({ ...d, config: configs[i] })));
      await tx.query(
        `INSERT INTO base_configs (object_name, release_version, kind, api_version, config, uploaded_by, uploaded_at, seq)
         SELECT "objectName", $2, kind, "apiVersion", config, $3, $4, $5
         FROM jsonb_to_recordset($1::jsonb) AS r("objectName" text, kind text, "apiVersion" text, config text)
         ON CONFLICT (object_name, release_version) DO UPDATE SET kind = EXCLUDED.kind, api_version = EXCLUDED.api_version,
           config = EXCLUDED.config, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = EXCLUDED.uploaded_at, seq = EXCLUDED.seq`,
        [docs, data.releaseVersion, data.uploadedBy, data.uploadedAt, event.position],
      );
      await tx.query(
        `INSERT INTO releases (release_version, creators, created_at, updated_at, seq) VALUES ($1, jsonb_build_array($2::text), $3, $3, $4)
         ON CONFLICT (release_version) DO UPDATE SET updated_at = EXCLUDED.updated_at, seq = EXCLUDED.seq,
           creators = CASE WHEN releases.creators ? $2 THEN releases.creators ELSE releases.creators || jsonb_build_array($2::text) END`,
        [data.releaseVersion, data.uploadedBy, data.uploadedAt, event.position],
      );
      await tx.query(
        `INSERT INTO label_bindings (label, object_name) SELECT kind, "objectName" FROM jsonb_to_recordset($1::jsonb) AS r("objectName" text, kind text)
         ON CONFLICT DO NOTHING`, [docs],
      );
      return;
    }
    case BaseImageUpdated.type: {
      const data = event.data as EventDataOf<typeof BaseImageUpdated>;
      const [config] = await configSeals.unsealTexts(tx, [data.config]);
      await tx.query('UPDATE base_configs SET config = $3 WHERE object_name = $1 AND release_version = $2', [data.objectName, data.releaseVersion, config]);
      return;
    }
    case PatchesApplied.type: {
      const data = event.data as EventDataOf<typeof PatchesApplied>;
      // Only what was sealed is unsealed: a rewrite's registry, or its description from
      // before rewrites sealed theirs, was never checked for tokens, so one there must stay a token.
      const sealedPatch = data.patches.map(isConfigPatch);
      const sealedDescription = data.patches.map((p, i) => sealedPatch[i] || p.descriptionSealed === true);
      const texts = await configSeals.unsealTexts(tx, data.patches.flatMap((p, i) => [...(sealedPatch[i] ? [p.patch] : []), ...(sealedDescription[i] ? [p.description] : [])]));
      let next = 0;
      const patches = data.patches.map((p, i) => ({
        ...p, ...(sealedPatch[i] ? { patch: texts[next++]! } : {}), ...(sealedDescription[i] ? { description: texts[next++]! } : {}),
      }));
      // The command's description, as readers see it: without what any of its patches hides.
      // Worked out once for each description (a command writes one for all its patches).
      const hidden = patchSecretValues(patches);
      const shownOnce = new Map<string, string>();
      const shownOf = (description: string) => {
        if (!shownOnce.has(description)) shownOnce.set(description, redactCopies(redactSecretText(description), hidden));
        return shownOnce.get(description)!;
      };
      const shown = patches.map((p) => ({ ...p, descriptionShown: shownOf(p.description) }));
      await tx.query(
        `INSERT INTO patches (version, target, format, kind, patch, description, description_shown, created_by, created_at)
         SELECT version, target, format, kind, patch, description, "descriptionShown", $2, $3
         FROM jsonb_to_recordset($1::jsonb) AS r(version bigint, target text, format text, kind text, patch text, description text, "descriptionShown" text)`,
        [JSON.stringify(shown), data.createdBy, data.createdAt],
      );
      return;
    }
    case PatchDeleted.type:
      await tx.query('UPDATE patches SET deleted = true WHERE version = $1', [(event.data as EventDataOf<typeof PatchDeleted>).version]);
      return;
    case LabelsBound.type:
      await tx.query(
        `INSERT INTO label_bindings (label, object_name) SELECT label, "objectName" FROM jsonb_to_recordset($1::jsonb) AS r(label text, "objectName" text)
         ON CONFLICT DO NOTHING`, [JSON.stringify((event.data as EventDataOf<typeof LabelsBound>).pairs)],
      );
      return;
    case ObjectBindingsDeleted.type:
      await tx.query('DELETE FROM label_bindings WHERE object_name = $1', [(event.data as EventDataOf<typeof ObjectBindingsDeleted>).objectName]);
      return;
    case DefaultLabelsUpdated.type:
      await tx.query(BIND_DEFAULTS);
      return;
    case DeploymentManagerSetUp.type:
      await tx.query(BIND_DEFAULTS);
      await tx.query(
        `INSERT INTO setup_state (name, done_at, details) VALUES ('deployment-manager', $1, '{}'::jsonb) ON CONFLICT (name) DO NOTHING`,
        [(event.data as EventDataOf<typeof DeploymentManagerSetUp>).setUpAt],
      );
      return;
    case DatabaseSetUp.type: {
      const data = event.data as EventDataOf<typeof DatabaseSetUp>;
      await tx.query(`INSERT INTO setup_state (name, done_at, details) VALUES ('database', $1, $2) ON CONFLICT (name) DO NOTHING`, [data.setUpAt, JSON.stringify(data.options)]);
      return;
    }
    case SettingsUpdated.type: {
      const data = event.data as EventDataOf<typeof SettingsUpdated>;
      await tx.query('DELETE FROM settings');
      // A withheld secret is a row without its value (that is in setting_secrets, beside the
      // log); events older than withholding carry every value in `settings`, in clear.
      await tx.query(
        `INSERT INTO settings (key, value, withheld) SELECT key, value, false FROM jsonb_each_text($1::jsonb)
         UNION ALL SELECT name, '', true FROM jsonb_to_recordset($2::jsonb) AS w(name text)`,
        [JSON.stringify(data.settings), JSON.stringify(data.withheld ?? [])],
      );
      return;
    }
  }
}

const MATERIAL = new Set(MATERIAL_TYPES);

/** Which objects a command's events can have changed, asked after they are written. */
export type ScopeOf = (tx: PoolClient, events: readonly RecordedEvent[]) => Promise<Affected>;

/**
 * The Deployment Manager's read models, materialized configs included. Materialization
 * reads the other tables, so they are one projection (a replay rebuilds them together);
 * it runs once per command, as it did live, so versions and timestamps replay equal.
 * `scopeOf` bounds each run to the objects the command can have changed; asking for
 * every object gives the same tables, only slower (the tests compare the two).
 */
export function configProjectionWith(scopeOf: ScopeOf): Projection {
  return {
    name: 'config_store',
    // Not setting_secrets nor sealed_values: secret values are not derived from events, so a
    // replay must neither empty nor rebuild those tables (it reads sealed_values).
    tables: ['base_configs', 'releases', 'patches', 'label_bindings', 'materialized_configs', 'settings', 'setup_state'],
    handles: handlesTypes([...MATERIAL, DatabaseSetUp.type, SettingsUpdated.type]),
    // Commands read these tables (previews, materialization) before they write them.
    writersLock: CONFIG_STORE_LOCK,
    // The materializer's rules: bump when materialization gives other configs for the same events.
    // 3: a stored patch leaving a shape the API server refuses (check-shape.ts) is skipped.
    // 4: configs are written as toYamlText writes them (strings YAML 1.1 would misread quoted).
    // 5: all a secret-named env entry holds but its name is hidden from readers, so a stored
    //    JSON patch that tests, copies or moves its `valueFrom` where they would see it is skipped.
    // 6: a stored patch leaving a Secret's data or a ConfigMap's binaryData that is not base64,
    //    or one that uncovers a hidden value it copied or moved (HiddenTrail), is skipped.
    // 7: a patch's description as readers see it is kept (description_shown).
    // 8: a stored JSON patch reading an inherited member (`toString`) or an index with a leading
    //    zero, with an op other than RFC 6902's six, nesting past 128 levels, or leaving what
    //    cannot be written as YAML, is skipped; a list element patched by part of its keys (a port
    //    without its protocol) merges into one element, the others kept; a namespace rewrite leaves
    //    more cluster-scoped kinds alone (RuntimeClass, admission policies, flow schemas, ...).
    // 9: a stored strategic merge patch that would show readers a value they see hidden (the
    //    flag before an argument deleted, an env-shaped pair renamed, the kind changed) is skipped;
    //    configs are written so as to read back as their objects (faithfulYamlText: the writer
    //    misfolded strings indented, blank or broken at an escaped space); ports none of which
    //    names a protocol are ordered as kustomize orders them (patch order, then the others).
    // 10: a stored strategic merge patch with an unknown list-wide `$patch` is skipped; a null in a
    //    set names nothing; the kinds Kubernetes added (CRDs, leases, admission policies, ...) merge
    //    their metadata, webhooks their matchConditions, by their keys; a namespace rewrite
    //    reaches a custom resource sharing a built-in cluster-scoped kind (judged by API group).
    version: 10,
    async apply(tx, events) {
      for (let i = 0; i < events.length;) {
        const commandId = events[i]!.metadata.commandId;
        let j = i;
        for (; j < events.length && events[j]!.metadata.commandId === commandId; j++) await write(tx, events[j]!);
        const group = events.slice(i, j);
        if (group.some((e) => MATERIAL.has(e.type))) await rematerialize(tx, Date.parse(group[group.length - 1]!.metadata.occurredAt), await scopeOf(tx, group));
        i = j;
      }
    },
  };
}

export const configProjection: Projection = configProjectionWith(affectedBy);
