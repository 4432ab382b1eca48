// Pulumi calls the exported function and awaits its result as the stack outputs.
import { platformStack } from "./program";

export = () => platformStack();
