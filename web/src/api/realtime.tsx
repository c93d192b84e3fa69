import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type SocketStatus = 'connecting' | 'open' | 'closed';
interface Notice {
  type: string;
}
type Listener = (notice: Notice) => void;

interface Realtime {
  status: SocketStatus;
  subscribe(listener: Listener): () => void;
}

const RealtimeContext = createContext<Realtime>({ status: 'closed', subscribe: () => () => undefined });

const MAX_DELAY_MS = 30_000;

/**
 * One WebSocket per signed-in dashboard (`/api/v1/ws`), reopened with exponential backoff and
 * jitter so a restarting server is not stampeded. `workspaceId` in the key reopens it after a
 * workspace switch, because the server scopes notices by the session's workspace.
 */
export function RealtimeProvider({ workspaceId, children }: { workspaceId: string; children: ReactNode }) {
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const listeners = useRef(new Set<Listener>());
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const connect = () => {
      setStatus('connecting');
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${window.location.host}/api/v1/ws`);
      socket.onopen = () => {
        attempt = 0;
        setStatus('open');
      };
      socket.onmessage = (ev) => {
        let notice: Notice;
        try {
          notice = JSON.parse(String(ev.data)) as Notice;
        } catch {
          return;
        }
        for (const l of listeners.current) l(notice);
      };
      socket.onclose = () => {
        socket = null;
        if (stopped) return;
        setStatus('closed');
        const delay = Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        attempt += 1;
        timer = setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [workspaceId]);

  return <RealtimeContext.Provider value={{ status, subscribe }}>{children}</RealtimeContext.Provider>;
}

/** Calls `onNotice` for each notice of the given type while the component is mounted. */
export function useRealtime<T extends Notice>(type: T['type'], onNotice: (notice: T) => void): SocketStatus {
  const { status, subscribe } = useContext(RealtimeContext);
  const handler = useRef(onNotice);
  useEffect(() => {
    handler.current = onNotice;
  });
  useEffect(() => subscribe((n) => n.type === type && handler.current(n as T)), [subscribe, type]);
  return status;
}
