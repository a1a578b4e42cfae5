import { Module } from '@nestjs/common';
import { AccessHandlers } from './access.handlers';

@Module({ controllers: [AccessHandlers] })
export class AccessModule {}
