/**
 * The embedded Electric-compatible shape service. See README.md.
 */
export { startShapeService, ShapeServiceError, type ShapeService, type ShapeServiceOptions, type ShapeServiceStats } from './shape-service.ts';
export type { Logger } from './service-logger.ts';
