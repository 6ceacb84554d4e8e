/** Saves text as a file through the browser's download (a blob URL on a temporary link). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; revoke later so slow browsers still read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
