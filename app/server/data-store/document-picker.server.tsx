import { renderToStaticMarkup } from "react-dom/server";
import type { DocumentPicker } from "./data-store.server";

/**
 * The file fields' pickers as HTML made here, for the form page to place among its inputs: the page is
 * at its JavaScript budget, so the picker ships no component and no strings to the browser. Plain radios
 * and a submit button posting the form's "reuse:<field>" intent: the same with or without JavaScript.
 * renderToStaticMarkup escapes every text and attribute (file names are the citizen's own).
 */
export function documentPickersHtml(pickers: readonly DocumentPicker[]): string {
  if (pickers.length === 0) return "";
  return renderToStaticMarkup(
    <>
      {pickers.map((p) => (
        <fieldset key={p.field} className="form-group" id={`reuse-${p.field}`}>
          <legend>{p.legend}</legend>
          <span className="hint">{p.hint}</span>
          {p.options.map((o, i) => (
            <div className="choice" key={o.value}>
              <input type="radio" id={`reuse-${p.field}-${i}`} name={`reuse.${p.field}`} value={o.value} />
              <label htmlFor={`reuse-${p.field}-${i}`}>{o.label}</label>
            </div>
          ))}
          <button type="submit" name="intent" value={`reuse:${p.field}`} className="button button--secondary" formNoValidate>
            {p.button}
          </button>
        </fieldset>
      ))}
    </>,
  );
}
