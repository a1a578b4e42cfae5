import type { MigrationObject } from '@mikro-orm/core';
import { DeployerTargets001 } from './001-deployer-targets';

export const deployerMigrations: MigrationObject[] = [{ name: 'deployer-001-targets', class: DeployerTargets001 }];
