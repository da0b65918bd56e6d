import { finalBooks, story, type Step, type StoryContext } from './story.js';

/**
 * Runs the steps in order, printing each; `between(index)` runs after step `index` (the restart test stops and
 * starts the node there). A step that moves the clock is skipped on a wall-clock node. Throws at the first failure.
 */
export async function runStory(ctx: StoryContext, print: (line: string) => void, between?: (index: number) => Promise<void>, steps: readonly Step[] = story): Promise<void> {
  for (const [index, step] of steps.entries()) {
    const label = `${String(index + 1).padStart(2)}. ${step.title}`;
    if (step.needsSimulatedClock === true && !ctx.simulated) {
      print(`${label}\n    skipped (wall clock)`);
      continue;
    }
    print(label);
    try {
      print(`    ${await step.run(ctx)}`);
    } catch (error) {
      throw new Error(`step ${index + 1} (${step.title}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await between?.(index);
  }
  print('\nthe books at the end:');
  for (const line of await finalBooks(ctx)) print(`  ${line}`);
  if (ctx.notes.length > 0) print(`\nnotes:\n${ctx.notes.map((note) => `  - ${note}`).join('\n')}`);
}
