import { Module } from '@nestjs/common';
import { CreateTargetHandler } from './create-target.handler';
import { DeleteTargetHandler } from './delete-target.handler';
import { TargetQueriesHandler } from './target-queries.handler';
import { UpsertTargetHandler } from './upsert-target.handler';

@Module({ controllers: [CreateTargetHandler, UpsertTargetHandler, DeleteTargetHandler, TargetQueriesHandler] })
export class TargetsModule {}
