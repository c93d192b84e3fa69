import type { Container } from '../../container.ts';
import type { TypedApp } from '../typed-app.ts';
import { workspaceRoutes } from './workspace.routes.ts';
import { membersRoutes } from './members.routes.ts';
import { apiKeysRoutes } from './api-keys.routes.ts';
import { auditRoutes } from './audit.routes.ts';
import { contactsRoutes } from './contacts.routes.ts';
import { listsRoutes } from './lists.routes.ts';
import { importsRoutes } from './imports.routes.ts';
import { templatesRoutes } from './templates.routes.ts';
import { mediaRoutes } from './media.routes.ts';
import { segmentsRoutes } from './segments.routes.ts';
import { sendersRoutes } from './senders.routes.ts';
import { messagesRoutes } from './messages.routes.ts';
import { usageRoutes } from './usage.routes.ts';

/** Every feature's routes, registered once here. */
export async function apiRoutes(app: TypedApp, c: Container) {
  await workspaceRoutes(app, c);
  await membersRoutes(app, c);
  await apiKeysRoutes(app, c);
  await auditRoutes(app, c);
  await contactsRoutes(app, c);
  await listsRoutes(app, c);
  await importsRoutes(app, c);
  await templatesRoutes(app, c);
  await mediaRoutes(app, c);
  await segmentsRoutes(app, c);
  await sendersRoutes(app, c);
  await messagesRoutes(app, c);
  await usageRoutes(app, c);
}
