/**
 * SpreadsheetApp and the objects it hands out, one file per class family:
 * spreadsheet-app.ts, spreadsheet.ts, sheet.ts, range.ts (Range, RangeList), validation.ts,
 * metadata.ts (developer metadata), protection.ts (Protection, NamedRange).
 */
export { SpreadsheetAppApi } from './spreadsheet-app';
export { SpreadsheetApi } from './spreadsheet';
export { SheetApi } from './sheet';
export { RangeApi, RangeListApi } from './range';
export { DataValidationApi, DataValidationBuilderApi, passesValidation } from './validation';
export { DeveloperMetadataApi, DeveloperMetadataFinderApi, DeveloperMetadataLocationApi } from './metadata';
export { NamedRangeApi, ProtectionApi } from './protection';
export { columnToLetters } from './a1';
