/**
 * Server-initiated work-done progress (the pipeline's steps) as a cancellable VS Code progress
 * notification. vscode-languageclient shows such progress only in the status bar; this
 * replaces its `window/workDoneProgress/create` handler so the run is visible where the user
 * started it, and the notification's Cancel button sends `window/workDoneProgress/cancel`.
 */
import * as vscode from "vscode";
import {
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type BaseLanguageClient,
  type ProgressToken,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from "vscode-languageclient";
import { progressIncrement } from "./runs";

class NotificationProgress {
  private reported = 0;
  private progress?: vscode.Progress<{ message?: string; increment?: number }>;
  private finish?: () => void;
  private ended = false;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly token: ProgressToken,
    private readonly onDone: (p: NotificationProgress) => void,
  ) {
    this.listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === "begin") this.begin(value);
      else if (value.kind === "report") this.report(value);
      else this.end();
    });
  }

  private begin(value: WorkDoneProgressBegin): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: value.title, cancellable: value.cancellable ?? false },
      (progress, cancel) => {
        if (this.ended) return Promise.resolve();
        this.progress = progress;
        cancel.onCancellationRequested(() => {
          void this.client.sendNotification(WorkDoneProgressCancelNotification.type, { token: this.token });
        });
        this.report(value);
        return new Promise<void>((resolve) => (this.finish = resolve));
      },
    );
  }

  private report(value: WorkDoneProgressBegin | WorkDoneProgressReport): void {
    const step = progressIncrement(this.reported, value.percentage);
    this.reported = step.reported;
    this.progress?.report({ message: value.message, increment: step.increment });
  }

  end(): void {
    this.ended = true;
    this.listener.dispose();
    this.finish?.();
    this.onDone(this);
  }
}

/** Shows the server's work-done progress as notifications; dispose to end them all. */
export function showServerProgressAsNotifications(client: BaseLanguageClient): vscode.Disposable {
  const active = new Set<NotificationProgress>();
  const handler = client.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
    active.add(new NotificationProgress(client, params.token, (p) => active.delete(p)));
  });
  return {
    dispose: () => {
      handler.dispose();
      for (const p of [...active]) p.end();
    },
  };
}
