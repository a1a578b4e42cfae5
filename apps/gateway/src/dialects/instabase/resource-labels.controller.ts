import { Controller, Delete, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { BindLabels, DeleteObjectBindings, LabelsByObject, ListLabels, ObjectsByLabel, UpdateDefaultLabels } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { send } from '../../http/respond';
import { ConfigWrites } from './config-writes';
import { AnswersApplied, answerApplied, ok } from './envelope';
import { InstabaseInput, toBool } from './input';
import { API_ROOT, ask } from './route';
import { ReadsQuery } from '../../http/query-parameters';

/** Instabase Deployment Manager: resource labels (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabaseResourceLabelsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator, private readonly writes: ConfigWrites) {}

  private async labels(req: FastifyRequest, res: FastifyReply) {
    await this.auth.require(req, undefined, 'read');
    send(req, res, 200, ok({ labels: await ask(this.commands, ListLabels, {}) }));
  }

  @Get('resource_labels')
  list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.labels(req, res);
  }

  /** The document's Python example lists labels with POST. */
  @Post('resource_labels')
  listByPost(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.labels(req, res);
  }

  @Post('resource_labels/binding')
  @AnswersApplied()
  async bind(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.require(req, undefined, 'submit');
    const input = await InstabaseInput.of(req, ['label', 'object_name']);
    const payload = { labels: input.list('label'), objects: input.list('object_name') };
    answerApplied(req, res, await this.writes.write(BindLabels, payload, actor, req, { labels: 'label', objects: 'object_name' }));
  }

  @Delete('resource_labels/binding/:object')
  @AnswersApplied()
  async unbind(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.require(req, undefined, 'submit');
    answerApplied(req, res, await this.writes.write(DeleteObjectBindings, { object }, actor, req, { object: 'OBJECT_NAME' }));
  }

  @Get('resource_labels/objects/:label')
  @ReadsQuery('must_exist')
  async objects(@Param('label') label: string, @Query('must_exist') mustExist: string | undefined, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.require(req, undefined, 'read');
    const payload = { label, mustExist: mustExist === undefined || mustExist === '' ? false : toBool(mustExist, 'must_exist') };
    send(req, res, 200, { objects: await ask(this.commands, ObjectsByLabel, payload, { label: 'LABEL' }) });
  }

  @Get('resource_labels/labels/:object')
  async labelsOf(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.require(req, undefined, 'read');
    send(req, res, 200, { labels: await ask(this.commands, LabelsByObject, { object }, { object: 'OBJECT_NAME' }) });
  }

  @Post('resource_labels/update-defaults')
  @AnswersApplied()
  async defaults(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.require(req, undefined, 'submit');
    await InstabaseInput.of(req, []);
    answerApplied(req, res, await this.writes.write(UpdateDefaultLabels, {}, actor, req));
  }
}
