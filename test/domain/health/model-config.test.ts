import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEALTH_MODEL,
  healthModelSchema,
  resolveHealthModel,
  rulesFor,
} from "../../../src/domain/health/model-config.js";

describe("health model configuration", () => {
  it("the default model validates and carries a version", () => {
    expect(healthModelSchema.safeParse(DEFAULT_HEALTH_MODEL).success).toBe(true);
    expect(DEFAULT_HEALTH_MODEL.version).toMatch(/\S/);
  });

  it.each([
    [undefined, true, []],
    [{ version: "acme-1", bands: { greenAtLeast: 75 } }, true, []],
    [{ version: "acme-2", stages: { maturity: { weights: { usage: 0.6 } } } }, true, []],
    ["strict please", false, ["scoreModel must be an object"]],
    [{ bands: { greenAtLeast: 80 } }, false, ["scoreModel.version must be set to a version string of its own"]],
    [
      { version: "x", bands: { greenAtLeast: 30, redBelow: 60 } },
      false,
      ["scoreModel.bands: redBelow must not exceed greenAtLeast"],
    ],
    [
      { version: "x", stages: { onboarding: { weights: { usage: -0.1 } } } },
      false,
      ["scoreModel.stages.onboarding.weights.usage: Too small: expected number to be >=0"],
    ],
    [{ version: "x", surprise: true }, false, ['scoreModel.: Unrecognized key: "surprise"']],
    [
      { version: "x", segments: { smb: { stages: { maturity: { usage: { targetModules: 0 } } } } } },
      false,
      ["scoreModel.segments.smb.stages.maturity.usage.targetModules: Too small: expected number to be >=1"],
    ],
  ] as const)("%# %j", (setting, ok, problems) => {
    const result = resolveHealthModel(setting);
    expect(result.ok).toBe(ok);
    if (!result.ok) {
      expect(result.problems).toEqual(problems);
      expect(result.model).toBe(DEFAULT_HEALTH_MODEL);
    }
  });

  it("a valid override is merged over the defaults", () => {
    const result = resolveHealthModel({ version: "acme-1", bands: { greenAtLeast: 75 } });
    expect(result.model.version).toBe("acme-1");
    expect(result.model.bands).toEqual({ greenAtLeast: 75, redBelow: DEFAULT_HEALTH_MODEL.bands.redBelow });
    expect(result.model.stages).toEqual(DEFAULT_HEALTH_MODEL.stages);
  });

  it("segment overrides apply to their segment's stage rules and bands", () => {
    const { model } = resolveHealthModel({
      version: "seg-1",
      segments: { enterprise: { stages: { maturity: { usage: { targetModules: 7 } } }, bands: { redBelow: 55 } } },
    });
    expect(rulesFor(model, "maturity", "enterprise").stage.usage.targetModules).toBe(7);
    expect(rulesFor(model, "maturity", "enterprise").bands.redBelow).toBe(55);
    expect(rulesFor(model, "maturity", "smb").stage.usage.targetModules).toBe(
      DEFAULT_HEALTH_MODEL.stages.maturity.usage.targetModules,
    );
    expect(rulesFor(model, "maturity", null).bands).toEqual(DEFAULT_HEALTH_MODEL.bands);
  });
});
