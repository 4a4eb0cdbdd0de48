/** A receipt code on its own: one piece, never broken across lines (docs/decisions/003). */
export function ReceiptCode({ code }: { code: string }) {
  return <span className="receipt-code">{code}</span>;
}

/** A translated sentence that contains a receipt code (a heading, a link), the code kept in one piece. */
export function TextWithCode({ text, code }: { text: string; code: string }) {
  const at = code ? text.indexOf(code) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <ReceiptCode code={code} />
      {text.slice(at + code.length)}
    </>
  );
}
