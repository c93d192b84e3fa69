import type { Container } from '../../container.ts';
import { workspaceChannel } from '../../realtime/pubsub.ts';
import { actorOf } from '../auth.ts';
import type { TypedApp } from '../typed-app.ts';

/**
 * One WebSocket per dashboard: it receives the notices of its own workspace only
 * (`{ type: 'import.progress', ... }` and later campaign and sender events).
 */
export async function realtimeRoutes(app: TypedApp, c: Container) {
  app.get(
    '/api/v1/ws',
    { websocket: true, config: { permission: 'workspace:read' }, schema: { tags: ['realtime'], summary: 'Live notices of your workspace (WebSocket)' } },
    async (socket, req) => {
      const actor = actorOf(req);
      const unsubscribe = await c.pubsub.subscribe(workspaceChannel(actor.workspaceId), (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      });
      socket.on('close', () => void unsubscribe());
      socket.send(JSON.stringify({ type: 'hello', workspaceId: actor.workspaceId }));
    },
  );
}
