import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import {
  AllReleaseVersions, DomainError, quoted, ListBaseConfigs, ObjectContainers, ObjectReleaseVersions, UpdateBaseImage,
  UpgradeHistory, UploadBaseConfigs,
} from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { commandOptionsOf } from '../../http/command-options';
import { send } from '../../http/respond';
import { Needs, UploadRoute } from '../../http/route-marks';
import { inDocumentTerms } from '../../http/document-terms';
import { asyncApplyStatus, type AsyncWrite } from './async-apply';
import { ConfigWrites } from './config-writes';
import { AnswersApplied, answerApplied, ok } from './envelope';
import { InstabaseInput } from './input';
import { API_ROOT, ask } from './route';
import { asCallerMaySee } from './secret-reads';
import { uploadedText } from './uploaded-text';
import { queryOf } from '../../http/query';
import { ReadsQuery } from '../../http/query-parameters';

const NAMES = { releaseVersion: 'release_version', text: 'base_config' };

/** The command ids an upload can have: the bus's UUIDs, or those derived from an Idempotency-Key. */
const REQUEST_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|idem-[0-9a-f]{40})$/i;
const ASYNC_UPLOAD: AsyncWrite = { subject: UploadBaseConfigs.subject, called: 'asynchronous upload' };

/** The base configs text of an upload: the `base_config` field, or a YAML file or archive. */
async function uploadOf(req: FastifyRequest) {
  const input = await InstabaseInput.of(req, ['release_version', 'base_config', 'file']);
  const sent = input.textOrFile('base_config', 'file');
  const text = sent.file ? uploadedText(sent.file, 'file') : sent.text;
  if (text === undefined) throw new DomainError('invalid', 'send the configs as base_config (form field) or file (multipart)', 'base_config');
  return { releaseVersion: input.required('release_version'), text };
}

/** Instabase Deployment Manager: base configs (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabaseBaseConfigsController {
  constructor(
    private readonly commands: CommandBus, private readonly auth: Authenticator, private readonly writes: ConfigWrites,
  ) {}

  @Post('base_configs')
  @AnswersApplied()
  @UploadRoute()
  @Needs('submit')
  async upload(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    answerApplied(req, res, await this.writes.write(UploadBaseConfigs, await uploadOf(req), actor, req, NAMES));
  }

  /**
   * Asynchronous upload: the RequestID is the command id; the config-store pushes what it
   * changed once it is handled, and the result below answers both.
   */
  @Post('base_configs/upload')
  @UploadRoute()
  @Needs('submit')
  async uploadAsync(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const sent = await this.commands.send(UploadBaseConfigs, await validUpload(req), { actor, ...commandOptionsOf(req, actor), waitMs: 0 });
    send(req, res, 200, { data: { RequestID: sent.commandId }, status_code: 200, statusCode: 200, error: null });
  }

  /**
   * PENDING until the upload and the push of what it changed both have an outcome; then the
   * synchronous upload's answer. The id of any other command is not found.
   */
  @Get('base_configs/upload/:requestId')
  @AnswersApplied()
  @Needs('read')
  async uploadResult(@Param('requestId') commandId: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    if (!REQUEST_ID.test(commandId)) {
      // Not an id POST base_configs/upload can have answered: no such upload.
      throw new DomainError('not-found', `no asynchronous upload with RequestID ${quoted(commandId)} (upload ids are UUIDs, or idem- and 40 hex digits)`, 'RequestID');
    }
    const result = await asyncApplyStatus(this.commands, commandId, ASYNC_UPLOAD);
    if (!result.done) {
      send(req, res, 202, { statusCode: 202, data: { RequestID: commandId, status: 'PENDING', successful_apply: [], failed_to_apply: [] }, error: null });
      return;
    }
    answerApplied(req, res, result.outcome);
  }

  @Get('base_configs')
  @ReadsQuery('version', 'object')
  @Needs('read')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const query = queryOf(req);
    const configs = await asCallerMaySee(this.auth, req, await ask(this.commands, ListBaseConfigs, { version: query.version || undefined, object: query.object || undefined }));
    // IS_GOLDEN: the object's golden config (what the cluster runs) came from this release (docs/api-dialects.md).
    send(req, res, 200, ok({ baseConfigs: configs.map((c) => ({
      object_name: c.objectName, version: c.releaseVersion, previous_version: c.previousReleaseVersion ?? '',
      state: c.golden ? 'IS_GOLDEN' : 'NOT_GOLDEN', config: c.config, metadata: c.metadata,
    })) }));
  }

  /** `Versions` as the document's example spells it, and `versions` as its prose does. */
  @Get('base_configs/versions')
  @Needs('read')
  async allVersions(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const all = await ask(this.commands, AllReleaseVersions, {});
    send(req, res, 200, { baseConfigVersions: all.map((o) => ({ objectName: o.objectName, Versions: o.versions, versions: o.versions })) });
  }

  @Get('base_configs/history')
  @ReadsQuery('limit', 'offset')
  @Needs('read')
  async history(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const query = queryOf(req);
    const upgrades = await ask(this.commands, UpgradeHistory, { limit: query.limit, offset: query.offset });
    send(req, res, 200, ok({ upgrades }));
  }

  @Get('base_configs/:object/versions')
  @Needs('read')
  async objectVersions(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, { versions: await ask(this.commands, ObjectReleaseVersions, { object }) });
  }

  @Get('base_configs/:object/containers')
  @Needs('read')
  async containers(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, ObjectContainers, { object })));
  }

  @Post('base_configs/image')
  @AnswersApplied()
  @Needs('submit')
  async image(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const input = await InstabaseInput.of(req, ['image', 'object', 'comment', 'container']);
    const payload = { object: input.required('object'), image: input.required('image'), comment: input.required('comment'), container: input.text('container') || undefined };
    answerApplied(req, res, await this.writes.write(UpdateBaseImage, payload, actor, req));
  }
}

async function validUpload(req: FastifyRequest) {
  const upload = await uploadOf(req);
  return inDocumentTerms(NAMES, () => parsePayload(UploadBaseConfigs, upload));
}
