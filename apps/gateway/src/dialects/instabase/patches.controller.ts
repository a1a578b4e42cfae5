import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { ApplyPatches, DeletePatch, DomainError, DryRunPatches, ListPatches, MOST_PATCHES_FOUND, SearchPatches, SetNamespace, SetRegistry, quoted, type PatchView } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { send } from '../../http/respond';
import { Needs, UploadRoute } from '../../http/route-marks';
import { ConfigWrites } from './config-writes';
import { AnswersApplied, answerApplied, ok } from './envelope';
import { InstabaseInput, toBool } from './input';
import { API_ROOT, ask } from './route';
import { asCallerMaySee, patchesCallerMaySee, patchListCallerMaySee, searchPatchesCallerMaySee } from './secret-reads';
import { uploadedText } from './uploaded-text';
import { queryOf } from '../../http/query';
import { RequiresQuery } from '../../http/query-parameters';

const NAMES = { text: 'patch' };
/** `state` IS_GOLDEN: the patch is part of a config the cluster runs (docs/api-dialects.md). */
const full = (p: PatchView) => ({
  version: p.version, nextVersion: p.nextVersion, target: p.target, state: p.golden ? 'IS_GOLDEN' : 'NOT_GOLDEN',
  patch: p.patch, metadata: p.metadata, description: p.description,
});

/** Instabase Deployment Manager: patches (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabasePatchesController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator, private readonly writes: ConfigWrites) {}

  @Post('patches/apply')
  @AnswersApplied()
  @UploadRoute()
  @Needs('submit')
  async apply(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    // A dry run needs `submit` too: it materializes text of the caller's choosing, and a
    // JSON-patch `copy` can move a Secret's value where no redaction would hide it.
    const actor = await this.auth.authorized(req);
    const input = await InstabaseInput.of(req, ['patch', 'file', 'description', 'dry_run']);
    const dryRun = input.bool('dry_run', false);
    const sent = input.textOrFile('patch', 'file');
    const text = sent.file ? uploadedText(sent.file, 'file') : sent.text;
    if (text === undefined) throw new DomainError('invalid', 'send the patch as patch (form field) or file (multipart)', 'patch');
    // Read in a dry run too: a request refused for real is refused dry.
    const description = input.text('description') ?? '';
    if (dryRun) {
      send(req, res, 200, ok({ dryRuns: await asCallerMaySee(this.auth, req, await ask(this.commands, DryRunPatches, { text }, NAMES)) }));
      return;
    }
    answerApplied(req, res, await this.writes.write(ApplyPatches, { text, description }, actor, req, NAMES));
  }

  @Get('patches')
  @Needs('read')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok({ patches: (await patchesCallerMaySee(this.auth, req, await ask(this.commands, ListPatches, {}))).map(full) }));
  }

  /** All three parameters are required; versions are strings here, as the document's example shows. */
  @Get('patches/search')
  @RequiresQuery('query', 'caseSensitive', 'limit')
  @Needs('read')
  async search(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const query = queryOf(req);
    if (!/^[0-9]+$/.test(query.limit!)) throw new DomainError('invalid', `limit must be a whole number, not ${quoted(query.limit)}`, 'limit');
    // The document's limit is a most: one past the store's answers as many as the store gives.
    const limit = query.limit!.length > 9 ? MOST_PATCHES_FOUND : Math.min(Number(query.limit), MOST_PATCHES_FOUND);
    const caseSensitive = toBool(query.caseSensitive, 'caseSensitive');
    const found = await searchPatchesCallerMaySee(this.auth, req, (atMost) => ask(this.commands, SearchPatches, { query: query.query, caseSensitive, limit: atMost }), query.query, caseSensitive, limit);
    send(req, res, 200, { patches: found.map((p) => ({ ...full(p), version: String(p.version), nextVersion: p.nextVersion === null ? null : String(p.nextVersion) })) });
  }

  @Post('patches/namespace')
  @AnswersApplied()
  @Needs('submit')
  async namespace(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const input = await InstabaseInput.of(req, ['namespace', 'description']);
    const payload = { namespace: input.required('namespace'), description: input.text('description') ?? '' };
    answerApplied(req, res, await this.writes.write(SetNamespace, payload, actor, req));
  }

  @Post('patches/registry')
  @AnswersApplied()
  @Needs('submit')
  async registry(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const input = await InstabaseInput.of(req, ['registry', 'description']);
    const payload = { registry: input.required('registry'), description: input.text('description') ?? '' };
    answerApplied(req, res, await this.writes.write(SetRegistry, payload, actor, req));
  }

  @Get('patches/:object')
  @Needs('read')
  async forObject(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok({ patches: (await patchesCallerMaySee(this.auth, req, await ask(this.commands, ListPatches, { object }, { object: 'OBJECT_NAME' }))).map(full) }));
  }

  @Get('patches/:object/list')
  @Needs('read')
  async listForObject(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok({ patches: await patchListCallerMaySee(this.auth, req, await ask(this.commands, ListPatches, { object }, { object: 'OBJECT_NAME' })) }));
  }

  @Delete('patches/:version')
  @AnswersApplied()
  @Needs('submit')
  async remove(@Param('version') version: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    if (!/^\d+$/.test(version)) throw new DomainError('invalid', `VERSION must be a patch version (a number), not ${quoted(version)}`, 'VERSION');
    answerApplied(req, res, await this.writes.write(DeletePatch, { version: Number(version) }, actor, req, { version: 'VERSION' }));
  }
}
