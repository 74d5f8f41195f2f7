/**
 * The model built the plain way, as the reference the fast path must equal (equivalence.ts): a full
 * dockerfile-ast parse, every instruction's keyword, spans and flags from its own dockerfile-ast
 * object, and arguments found by unfolding the line. The fast path (DockerfileModel) reads an
 * outline of the parse and asks dockerfile-ast for details only where it needs them.
 */
import { DockerfileModel, type PieceRead } from '../../server/src/model/model';
import type { ModelOptions } from '../../server/src/model/types';
import { fullOutline, type Piece } from '../../server/src/model/outline';
import { unfoldLine } from '../../server/src/model/logical';

export class ReferenceModel extends DockerfileModel {
  constructor(text: string, options: Omit<ModelOptions, 'outline'> = {}) {
    super(text, { ...options, outline: fullOutline(text) });
  }

  protected override readPiece(piece: Piece): PieceRead {
    const node = this.outline.instruction(piece);
    return {
      keyword: node.getKeyword().toUpperCase(),
      span: this.spanOf(node.getRange()),
      keywordSpan: this.spanOf(node.getInstructionRange()),
      node,
      flags: this.flagsOf(node),
    };
  }

  protected override argsStartAfter(after: number, end: number): number {
    const { logical, stop } = unfoldLine(this.text, after, end, this.escapeChar);
    const first = logical.text.search(/\S/);
    return first >= 0 ? logical.at(first) : stop;
  }
}
