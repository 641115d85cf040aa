// A POST with a JSON body through the API server (its service proxy): the generated client sends no body
// for proxy calls, so a request middleware adds it, next to the AbortSignal.
import { Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';

/** Per-request options that send `body` as JSON and abort the request when `signal` aborts. */
export function jsonBodyOptions(body: unknown, signal: AbortSignal): ConfigurationOptions<ObservableMiddleware> {
  const withBody: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      context.setHeaderParam('Content-Type', 'application/json');
      context.setHeaderParam('Accept', 'application/json');
      context.setBody(JSON.stringify(body));
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [withBody], middlewareMergeStrategy: 'append' };
}
