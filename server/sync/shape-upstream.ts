/**
 * Where shape requests go: the embedded shape service (in-process, on
 * loopback) or a real Electric at ELECTRIC_URL. The proxy cannot tell them
 * apart and uses the same code path for both.
 */
export interface ShapeUpstream {
  /** Full URL of the shape endpoint, e.g. http://127.0.0.1:41234/v1/shape. */
  shapeUrl: string;
  /** Sent as `secret`; the upstream refuses requests without it. */
  secret: string;
}

export function shapeUpstream(baseUrl: string, secret: string): ShapeUpstream {
  return { shapeUrl: `${baseUrl.replace(/\/$/, '')}/v1/shape`, secret };
}
