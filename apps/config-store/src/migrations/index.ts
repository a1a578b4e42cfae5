import type { MigrationObject } from '@mikro-orm/core';
import { Config001 } from './001-config';
import { CONFIG_DDL_001 } from './001-config-ddl';

export const configMigrations: MigrationObject[] = [{ name: 'config-001-deployment-manager', class: Config001 }];

/** Every statement the config-store's migrations run, in order. */
export const CONFIG_DDL: readonly string[] = [...CONFIG_DDL_001];
