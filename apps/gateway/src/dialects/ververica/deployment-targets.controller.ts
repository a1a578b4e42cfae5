import { Body, Controller, Delete, Get, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload, type SendResult } from '@slipway/bus';
import { CreateTarget, DeleteTarget, DomainError, quoted, GetTarget, holdsSealedValues, ListTargets, replyValue, resourceName, UnsealAnnotations, UpsertTarget, type TargetView } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { CommandAccepted } from '../../http/accepted';
import { commandOptionsOf } from '../../http/command-options';
import { outcomeOf } from '../../http/outcome';
import { inDocumentTerms } from '../../http/document-terms';
import { parseBody } from '../../http/parse-body';
import { queryWaitFor } from '../../http/wait-clock';
import { send } from '../../http/respond';
import { documentField, expectedVersionOf, toDefinition, toDocument } from './deployment-target.mapper';
import { Needs } from '../../http/route-marks';

const BASE = 'api/v1/namespaces/:namespace/deployment-targets';

// Every route authorizes before it validates what it was sent: without a token (or the
// capability) the answer is 401 (403), whatever the request holds.

function checkName(value: string, field: string): string {
  const result = resourceName.safeParse(value);
  if (!result.success) throw new DomainError('invalid', `${field} ${quoted(value)} ${result.error.issues[0]!.message}`, field);
  return value;
}

/** Ververica Platform DeploymentTargets (../shared/seeds/002), served verbatim. */
@Controller()
export class DeploymentTargetsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get(BASE)
  @Needs('read', 'namespace')
  async list(@Param('namespace') namespace: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    checkName(namespace, 'namespace');
    const items = replyValue(await this.commands.query(ListTargets, { namespace }));
    send(req, res, 200, { kind: 'ResourceList', apiVersion: 'v1', items: items.map(toDocument) });
  }

  @Get(`${BASE}/:name`)
  @Needs('read', 'namespace')
  async get(@Param('namespace') namespace: string, @Param('name') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    checkName(namespace, 'namespace');
    const view = replyValue(await this.commands.query(GetTarget, { namespace, name: checkName(name, 'metadata.name') }));
    send(req, res, 200, toDocument(view));
  }

  @Post(BASE)
  @Needs('submit', 'namespace')
  async create(@Param('namespace') namespace: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    checkName(namespace, 'namespace');
    // Parsed outside inDocumentTerms: a body's own faults name the body's fields already.
    const document = await parseBody(body, req.headers['content-type']);
    const definition = inDocumentTerms(documentField, () => parsePayload(CreateTarget, toDefinition(document, namespace)));
    const view = await this.asSent(req, await this.commands.send(CreateTarget, definition, { actor, ...commandOptionsOf(req, actor) }));
    res.header('location', `/api/v1/namespaces/${namespace}/deployment-targets/${view.name}`);
    send(req, res, 201, toDocument(view));
  }

  @Put(`${BASE}/:name`)
  @Needs('submit', 'namespace')
  async upsert(@Param('namespace') namespace: string, @Param('name') name: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    checkName(namespace, 'namespace');
    checkName(name, 'metadata.name');
    const document = await parseBody(body, req.headers['content-type']);
    const definition = inDocumentTerms(documentField, () => parsePayload(UpsertTarget, { ...toDefinition(document, namespace, name), expectedVersion: expectedVersionOf(document) }));
    const view = await this.asSent(req, await this.commands.send(UpsertTarget, definition, { actor, ...commandOptionsOf(req, actor) }));
    if (view.created) res.header('location', `/api/v1/namespaces/${namespace}/deployment-targets/${view.name}`);
    send(req, res, view.created ? 201 : 200, toDocument(view));
  }

  @Delete(`${BASE}/:name`)
  @Needs('submit', 'namespace')
  async remove(@Param('namespace') namespace: string, @Param('name') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    checkName(namespace, 'namespace');
    const key = { namespace, name: checkName(name, 'metadata.name') };
    const view = await this.asSent(req, await this.commands.send(DeleteTarget, key, { actor, ...commandOptionsOf(req, actor) }));
    send(req, res, 200, toDocument(view));
  }

  /**
   * A command's answer with its annotations as sent: one answered from its recorded outcome
   * (a retry under the same Idempotency-Key) holds its secret values as the log's tokens.
   * The write is committed by then: a service too slow to unseal them within the bound makes
   * the answer a 202 pointing at its recorded outcome, not a 503 inviting a retry that would
   * do it again.
   */
  private async asSent<T extends TargetView>(req: FastifyRequest, result: SendResult<T>): Promise<T> {
    const view = outcomeOf(result);
    if (!holdsSealedValues(view.annotations)) return view;
    // Within the request's bound: the outcome is recorded, and a resend under the key is answered it.
    const annotations = await this.commands.query(UnsealAnnotations, { annotations: view.annotations }, queryWaitFor(req, this.commands.waitMs));
    if (!annotations.ok && annotations.error.code === 'unavailable') throw new CommandAccepted(result.commandId);
    return { ...view, annotations: replyValue(annotations) };
  }
}
