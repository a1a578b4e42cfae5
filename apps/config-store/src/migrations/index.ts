import type { MigrationObject } from '@mikro-orm/core';
import { Config001 } from './001-config';
import { CONFIG_DDL_001 } from './001-config-ddl';
import { Config002 } from './002-golden';
import { CONFIG_DDL_002 } from './002-golden-ddl';
import { Config003 } from './003-setting-secrets';
import { CONFIG_DDL_003 } from './003-setting-secrets-ddl';
import { Config004 } from './004-sealed-values';
import { CONFIG_DDL_004 } from './004-sealed-values-ddl';
import { Config005 } from './005-golden-version';
import { CONFIG_DDL_005 } from './005-golden-version-ddl';
import { Config006 } from './006-base-digest';
import { CONFIG_DDL_006 } from './006-base-digest-ddl';
import { Config007 } from './007-patch-description-shown';
import { CONFIG_DDL_007 } from './007-patch-description-shown-ddl';

export const configMigrations: MigrationObject[] = [
  { name: 'config-001-deployment-manager', class: Config001 },
  { name: 'config-002-golden-configs', class: Config002 },
  { name: 'config-003-setting-secrets', class: Config003 },
  { name: 'config-004-sealed-values', class: Config004 },
  { name: 'config-005-golden-materialized-version', class: Config005 },
  { name: 'config-006-materialized-base-digest', class: Config006 },
  { name: 'config-007-patch-description-shown', class: Config007 },
];

/** Every statement the config-store's migrations run, in order. */
export const CONFIG_DDL: readonly string[] = [...CONFIG_DDL_001, ...CONFIG_DDL_002, ...CONFIG_DDL_003, ...CONFIG_DDL_004, ...CONFIG_DDL_005, ...CONFIG_DDL_006, ...CONFIG_DDL_007];
