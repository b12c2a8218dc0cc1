declare module "express" {
  import type { ServerResponse } from "node:http";

  interface Response extends ServerResponse {
    status(code: number): Response;
    json(body: unknown): Response;
  }
  type Handler = (
    request: IncomingMessage,
    response: Response,
    next: (error?: unknown) => void,
  ) => void;
  interface Application {
    post(path: string, ...handlers: Handler[]): Application;
    get(path: string, ...handlers: Handler[]): Application;
    listen(port: number, host: string): unknown;
  }
  function express(): Application;
  export default express;
}
