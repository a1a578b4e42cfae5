import type { MigrationObject } from '@mikro-orm/core';
import { DeployerTargets001 } from './001-deployer-targets';
import { DeployerSealKey002 } from './002-deployer-seal-key';
import { DeployerSealedValues003 } from './003-deployer-sealed-values';

export const deployerMigrations: MigrationObject[] = [
  { name: 'deployer-001-targets', class: DeployerTargets001 },
  { name: 'deployer-002-seal-key', class: DeployerSealKey002 },
  { name: 'deployer-003-sealed-values', class: DeployerSealedValues003 },
];
