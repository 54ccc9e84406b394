/**
 * Every /api/auth/* route: sessions, email and password, Google and Apple,
 * invitations, kid accounts and device pairing. Mounted in server/http/app.ts
 * with one line, after the authenticate middleware.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env.ts';
import { validationHook } from '../../http/validation.ts';
import { createOidcProviders } from '../oidc-providers.ts';
import { warmDummyHash } from '../password-sign-in-service.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { kidRoutes } from './kid-routes.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { authRouteContext, type AuthRouteDeps } from './route-support.ts';
import { sessionRoutes } from './session-routes.ts';

export type { AuthRouteDeps } from './route-support.ts';

export function authRoutes(deps: AuthRouteDeps): OpenAPIHono<AppEnv> {
  const ctx = authRouteContext(deps, createOidcProviders(deps.config.auth, deps.config.publicUrl));
  // Computed now, so the first sign-in with an unknown email is not the one that pays for it.
  void warmDummyHash();
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.route('/', sessionRoutes(ctx));
  app.route('/', passwordRoutes(ctx));
  app.route('/', oidcRoutes(ctx));
  app.route('/', invitationRoutes(ctx));
  app.route('/', kidRoutes(ctx));
  return app;
}
