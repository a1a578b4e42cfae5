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
import { Needs } from '../../http/route-marks';

/** Instabase Deployment Manager: resource labels (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabaseResourceLabelsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator, private readonly writes: ConfigWrites) {}

  private async labels(req: FastifyRequest, res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok({ labels: await ask(this.commands, ListLabels, {}) }));
  }

  @Get('resource_labels')
  @Needs('read')
  list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.labels(req, res);
  }

  /** The document's Python example lists labels with POST. */
  @Post('resource_labels')
  @Needs('read')
  listByPost(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.labels(req, res);
  }

  @Post('resource_labels/binding')
  @AnswersApplied()
  @Needs('submit')
  async bind(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const input = await InstabaseInput.of(req, ['label', 'object_name']);
    const payload = { labels: input.list('label'), objects: input.list('object_name') };
    answerApplied(req, res, await this.writes.write(BindLabels, payload, actor, req, { labels: 'label', objects: 'object_name' }));
  }

  @Delete('resource_labels/binding/:object')
  @AnswersApplied()
  @Needs('submit')
  async unbind(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    answerApplied(req, res, await this.writes.write(DeleteObjectBindings, { object }, actor, req, { object: 'OBJECT_NAME' }));
  }

  @Get('resource_labels/objects/:label')
  @ReadsQuery('must_exist')
  @Needs('read')
  async objects(@Param('label') label: string, @Query('must_exist') mustExist: string | undefined, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const payload = { label, mustExist: mustExist === undefined || mustExist === '' ? false : toBool(mustExist, 'must_exist') };
    send(req, res, 200, { objects: await ask(this.commands, ObjectsByLabel, payload, { label: 'LABEL' }) });
  }

  @Get('resource_labels/labels/:object')
  @Needs('read')
  async labelsOf(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, { labels: await ask(this.commands, LabelsByObject, { object }, { object: 'OBJECT_NAME' }) });
  }

  @Post('resource_labels/update-defaults')
  @AnswersApplied()
  @Needs('submit')
  async defaults(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    await InstabaseInput.of(req, []);
    answerApplied(req, res, await this.writes.write(UpdateDefaultLabels, {}, actor, req));
  }
}
