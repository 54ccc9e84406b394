/**
 * What every route file shares: the response envelope as an OpenAPI
 * schema, the standard error responses, id parameters, and the access
 * declaration each route carries into the OpenAPI document
 * (`x-talemo-access`). The access tests read that declaration from
 * /api/openapi.json, so a route cannot be added without saying who may call
 * it; the services enforce it.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Action } from '../../shapes/permissions.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { Actor } from '../services/authorization.ts';

/** Who may call a route, as declared in the OpenAPI document. */
export type RouteAccess =
  /** A signed-in member whose profile grants at least one of `any`. */
  | { kind: 'permission'; any: Action[]; note?: string }
  /** Any signed-in member, whatever their profile. */
  | { kind: 'member'; reason: string }
  /** No session: the route authenticates the caller another way, or serves everyone. */
  | { kind: 'public'; reason: string }
  /** The platform operator's token; never a tenant session. */
  | { kind: 'operator'; reason: string };

export const SESSION_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** Spread into `createRoute`: the access declaration and matching security. */
export function access(rule: RouteAccess): { 'x-talemo-access': RouteAccess; security: Array<Record<string, string[]>> } {
  const security = rule.kind === 'public' ? [] : rule.kind === 'operator' ? [{ operatorToken: [] }] : SESSION_SECURITY;
  return { 'x-talemo-access': rule, security };
}

export const needs = (...any: [Action, ...Action[]]) => access({ kind: 'permission', any });

export const fieldErrors = z.record(z.string(), z.array(z.string())).openapi('FieldErrors', { example: { title: ['must not be empty'] } });

export const errorEnvelope = z
  .object({ status: z.literal('error'), data: z.null(), message: z.string(), errors: fieldErrors.nullable() })
  .openapi('ErrorEnvelope');

export function envelopeOf<T extends z.ZodTypeAny>(data: T) {
  return z.object({ status: z.literal('success'), data, message: z.string().nullable(), errors: z.null() });
}

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as ?cursor= for the next page; null on the last page.' }),
  });
}

/** A success response with the envelope around `data`. */
export function ok<T extends z.ZodTypeAny>(data: T, description: string) {
  return { description, content: { 'application/json': { schema: envelopeOf(data) } } };
}

const ERROR_DESCRIPTIONS = {
  400: 'Invalid input: `errors` maps each field (body fields by name, `query.*`, `path.*`) to what is wrong',
  401: 'Not signed in, or the session has ended',
  403: 'The profile does not allow this',
  404: 'No such resource in your family or school',
  409: 'Refused because of the current state; the message says what to do',
  413: 'Too large: the body, the file, or the storage quota',
  415: 'Unsupported media type',
  503: 'Not configured here',
} as const;

/** The error responses a route can give, for the document. */
export function errors(...codes: Array<keyof typeof ERROR_DESCRIPTIONS>) {
  return Object.fromEntries(codes.map((code) => [code, { description: ERROR_DESCRIPTIONS[code], content: { 'application/json': { schema: errorEnvelope } } }])) as Record<
    keyof typeof ERROR_DESCRIPTIONS,
    { description: string; content: { 'application/json': { schema: typeof errorEnvelope } } }
  >;
}

/** A `{id}` path parameter holding a UUID. */
export function idParam(what: string) {
  return z
    .object({ id: z.string().uuid(`must be ${what} id (a UUID)`).openapi({ param: { name: 'id', in: 'path' }, example: '3f1e7a52-9c1b-4a8e-9d7e-2b6f0c1d4e5a' }) })
    .strict();
}

/** A JSON request body that must be present. */
export function jsonBody<T extends z.ZodTypeAny>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}

/** Who is calling, for the services. */
export function actorOf(c: Context<AppEnv>, trustProxy: boolean): Actor {
  return { viewer: c.var.viewer, meta: requestMeta(c, trustProxy) };
}
