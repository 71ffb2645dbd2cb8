import { useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";
import { ErrorText } from "../../components/ErrorText";
import { presignUpload, putFile, type ChatAuth } from "./chatApi";
import { ClipIcon, FileIcon } from "./icons";
import type { AttachedFile } from "./messageModel";

const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg"];
const FILE_EXTENSIONS = [".pdf", ".docx", ".pptx", ".xlsx", ".txt", ".md", ".html", ".csv"];

export interface FileSelectConfig {
  canSelectFile?: boolean;
  canSelectImg?: boolean;
  maxFiles?: number;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot >= 0 ? name.slice(dot).toLowerCase() : "";
}

/** What the picker accepts (the server checks again). */
export function acceptedExtensions(config: FileSelectConfig | undefined): string[] {
  return [...(config?.canSelectImg ? IMAGE_EXTENSIONS : []), ...(config?.canSelectFile ? FILE_EXTENSIONS : [])];
}

/** The question box: Enter sends, Shift+Enter breaks the line, Stop ends a running answer. */
export function Composer({
  auth,
  appId,
  fileConfig,
  streaming,
  disabledReason,
  ensureChatId,
  onSend,
  onStop,
}: {
  auth: ChatAuth;
  appId: string;
  fileConfig?: FileSelectConfig;
  streaming: boolean;
  disabledReason?: string;
  ensureChatId: () => string;
  onSend: (text: string, files: AttachedFile[]) => boolean;
  onStop: () => void;
}) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<AttachedFile[]>([]);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const picker = useRef<HTMLInputElement>(null);
  const accept = acceptedExtensions(fileConfig);
  const maxFiles = fileConfig?.maxFiles ?? 10;
  const blocked = Boolean(disabledReason);
  const canSend = !blocked && !streaming && uploading === 0 && (text.trim() !== "" || files.length > 0);

  function send() {
    if (!canSend) return;
    if (onSend(text.trim(), files)) {
      setText("");
      setFiles([]);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  async function onPick(event: ChangeEvent<HTMLInputElement>) {
    const picked = Array.from(event.target.files ?? []);
    event.target.value = "";
    if (!picked.length) return;
    setError(null);
    const room = Math.max(maxFiles - files.length, 0);
    const chatId = ensureChatId();
    setUploading((n) => n + Math.min(picked.length, room));
    for (const file of picked.slice(0, room)) {
      try {
        const upload = await presignUpload(auth, appId, chatId, file.name);
        await putFile(upload, file);
        const type = IMAGE_EXTENSIONS.includes(extensionOf(file.name)) ? "image" : "file";
        setFiles((old) => [...old, { type, name: file.name, url: upload.previewUrl }]);
      } catch (err) {
        setError(err);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  }

  return (
    <div className="chat-composer">
      {files.length ? (
        <ul className="chat-attachments" aria-label="Attachments">
          {files.map((file, index) => (
            <li key={file.url}>
              {file.type === "image" ? <img src={file.url} alt={file.name} /> : <FileIcon />}
              <span>{file.name}</span>
              <button
                type="button"
                className="link"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((old) => old.filter((_, i) => i !== index))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="chat-input-row">
        {accept.length ? (
          <>
            <button
              type="button"
              className="secondary"
              aria-label="Attach files"
              disabled={blocked || streaming || files.length >= maxFiles}
              onClick={() => picker.current?.click()}
            >
              <ClipIcon />
            </button>
            <input
              ref={picker}
              type="file"
              hidden
              multiple
              accept={accept.join(",")}
              aria-label="Choose files"
              onChange={(e) => void onPick(e)}
            />
          </>
        ) : null}
        <textarea
          aria-label="Message"
          rows={2}
          value={text}
          placeholder={disabledReason ?? "Ask something… (Enter to send, Shift+Enter for a new line)"}
          disabled={blocked}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {streaming ? (
          <button type="button" className="secondary" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="button" onClick={send} disabled={!canSend}>
            Send
          </button>
        )}
      </div>
      {uploading ? <p className="muted">Uploading…</p> : null}
      <ErrorText error={error} />
    </div>
  );
}
