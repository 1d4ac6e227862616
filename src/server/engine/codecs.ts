/**
 * Value codecs of the sync engine: Affinity values ⇄ canonical text ⇄ sheet cells, and edits back to
 * Affinity writes. Pure TypeScript (no Apps Script globals, no Node APIs, no Intl). See docs/values.md.
 *
 * - canonicalOf(value, fieldKind, ctx)   Affinity value → { text, truncated } (what the sheet shows and the
 *                                        base snapshot stores)
 * - cellOf(text, valueType)              canonical text → what Range.setValues writes
 * - canonicalOfCell(cell, valueType, ctx) what Range.getValues read → canonical text (the diff compares it with
 *                                        the stored text)
 * - columnFormat(valueType)              the column's number format
 * - isEditable(field)                    whether a column may be pushed
 * - parseEdit(text, field, ctx, current?) edited canonical text → FieldValueUpdate, or a reason
 */

export type { Canonical, CodecContext, ParseContext, ParseResult, SheetCell } from './codecs/types';
export { DATE_VALUE_TYPES, MULTI_VALUE_TYPES, NUMBER_VALUE_TYPES, WRITABLE_VALUE_TYPES } from './codecs/types';
export {
  CELL_TEXT_LIMIT,
  ELLIPSIS,
  MAX_MULTI_ITEMS,
  MULTI_SEPARATOR,
  decodeEntities,
  escapeItem,
  fitMulti,
  fitText,
  htmlToText,
  isCanonicalMulti,
  isMoreMarker,
  joinMulti,
  looksCut,
  moreMarker,
  multiItems,
  normalizeMulti,
  normalizeText,
  splitMulti,
} from './codecs/text';
export {
  canonicalOf,
  companyText,
  datetimeText,
  dropdownText,
  interactionInstant,
  locationText,
  numberText,
  personText,
  reminderText,
} from './codecs/render';
export { DATE_FORMAT, NUMBER_FORMAT, canonicalOfCell, cellOf, columnFormat } from './codecs/cells';
export { parseNumberText, type ParsedNumber } from './codecs/numbers';
export { isEditable, matchKey, parseEdit, parseLocationText } from './codecs/parse';
