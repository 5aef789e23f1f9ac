import { defineFluxPackage } from "../../tooling/tsup.js";

export default defineFluxPackage();
