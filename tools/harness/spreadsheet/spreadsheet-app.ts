/**
 * SpreadsheetApp itself: the service object, enums, builders and the active spreadsheet.
 */
import { ApiObject, type ClassMeta } from '../api-base';
import { ScriptError } from '../errors';
import { UiApi } from '../ui';
import { type SpreadsheetModel } from './model';
import { RangeApi } from './range';
import { SheetApi } from './sheet';
import { SpreadsheetApi } from './spreadsheet';
import { DataValidationBuilderApi } from './validation';

export class SpreadsheetAppApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'SpreadsheetApp',
    name: '',
    enums: {
      ProtectionType: 'ProtectionType',
      DeveloperMetadataLocationType: 'DeveloperMetadataLocationType',
      DeveloperMetadataVisibility: 'DeveloperMetadataVisibility',
      DataValidationCriteria: 'DataValidationCriteria',
      Dimension: 'Dimension',
      WrapStrategy: 'WrapStrategy',
      BorderStyle: 'BorderStyle',
      CopyPasteType: 'CopyPasteType',
      Direction: 'Direction',
      SheetType: 'SheetType',
      TextDirection: 'TextDirection',
    },
  };
  private get _ss(): SpreadsheetModel {
    return this.env.state.spreadsheet;
  }
  getActiveSpreadsheet(): SpreadsheetApi {
    return new SpreadsheetApi(this.env, this._ss);
  }
  getActive(): SpreadsheetApi {
    return this.getActiveSpreadsheet();
  }
  openById(id: string): SpreadsheetApi {
    if (String(id) !== this._ss.id) {
      throw new ScriptError('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    }
    return this.getActiveSpreadsheet();
  }
  openByUrl(url: string): SpreadsheetApi {
    if (!String(url).includes(this._ss.id)) {
      throw new ScriptError(
        'Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.',
      );
    }
    return this.getActiveSpreadsheet();
  }
  getActiveSheet(): SheetApi {
    return new SheetApi(this.env, this._ss.activeSheet);
  }
  setActiveSheet(sheet: SheetApi): SheetApi {
    this._ss.activeSheet = sheet._model;
    return sheet;
  }
  getActiveRange(): RangeApi | null {
    const a = this._ss.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, a.numRows, a.numCols) : null;
  }
  getCurrentCell(): RangeApi | null {
    const a = this._ss.activeRange;
    return a ? new RangeApi(this.env, a.sheet, a.row, a.col, 1, 1) : null;
  }
  setActiveRange(range: RangeApi): RangeApi {
    range.activate();
    return range;
  }
  getUi(): UiApi {
    if (this.env.triggerEventType === 'CLOCK')
      throw new ScriptError('Cannot call SpreadsheetApp.getUi() from this context.');
    return new UiApi(this.env);
  }
  /** Applies pending changes; costs a flush when there are any. */
  flush(): void {
    this.env.read(0);
  }
  newDataValidation(): DataValidationBuilderApi {
    return new DataValidationBuilderApi(this.env);
  }
  create(): never {
    throw new ScriptError(
      'SpreadsheetApp.create is not modelled by the harness (the project is bound to one spreadsheet).',
    );
  }
}
