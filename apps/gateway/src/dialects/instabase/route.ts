import { CommandBus, parsePayload, type SendOptions } from '@slipway/bus';
import { replyValue, type Actor, type Contract, type PayloadOf, type ReplyOf } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { commandOptionsOf } from '../../http/command-options';
import { outcomeOf } from '../../http/outcome';
import { inDocumentTerms } from '../../http/document-terms';

/** Where every Instabase route lives (the document's api_root). */
export const API_ROOT = 'api/v1/control_plane';

/** Validates a payload in the document's field names, sends it, returns the committed value. */
export async function sendCommand<C extends Contract<z.ZodType>>(
  commands: CommandBus, contract: C, payload: unknown, actor: Actor, request: FastifyRequest,
  names: Record<string, string> = {}, options: Partial<SendOptions> = {},
): Promise<ReplyOf<C>> {
  const valid = inDocumentTerms(names, () => parsePayload(contract, payload));
  return outcomeOf(await commands.send(contract, valid as PayloadOf<C>, { actor, ...commandOptionsOf(request, actor), ...options })) as ReplyOf<C>;
}

export async function ask<C extends Contract<z.ZodType>>(commands: CommandBus, contract: C, payload: unknown, names: Record<string, string> = {}): Promise<ReplyOf<C>> {
  const valid = inDocumentTerms(names, () => parsePayload(contract, payload));
  return replyValue(await commands.query(contract, valid as PayloadOf<C>)) as ReplyOf<C>;
}

export const isArchive = (filename: string): boolean => /\.(zip|tar\.gz|tgz|tar)$/i.test(filename);
