import type { Observable, OperatorFunction } from 'rxjs';
import { Runnable } from './Runnable.js';

/**
 * An RxJS operator as a step of a chain: it receives the previous step's chunks as they stream
 * and its output streams on. Reports `on_chain_*` events under the operator function's name.
 */
export class RunnableOperator<I, O> extends Runnable<I, O> {
  readonly runType = 'chain' as const;
  override readonly wholeInput = false;

  constructor(private readonly operator: OperatorFunction<I, O>, name?: string) {
    super();
    this.runName = name ?? (operator.name || 'RunnableOperator');
  }

  protected override _transform(input$: Observable<I>): Observable<O> {
    return this.operator(input$);
  }
}
