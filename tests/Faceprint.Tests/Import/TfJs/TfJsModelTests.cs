using System.Text.Json.Nodes;
using Faceprint.Import.TfJs;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Import.TfJs;

/// <summary>The strict model.json / weight-shard reader: dtypes, dequantisation, shard concatenation and malformed input.</summary>
public sealed class TfJsModelTests
{
    [Fact]
    public void Decodes_float32_float16_uint8_and_int32_weights()
    {
        var g = new TfJsGraphBuilder();
        g.Const("f32", [2], [1.5f, -2.25f]);
        g.ConstHalf("f16", [3], [0.5f, -1f, 65504f]);
        g.ConstUint8("u8", [3], [0, 10, 255], scale: 0.5f, min: -1f);
        g.Ints("i32", [2], [-1, 2048]);
        var model = g.Build();

        Assert.Equal([1.5f, -2.25f], model.Weights["f32"].RequireFloats());
        Assert.Equal([0.5f, -1f, 65504f], model.Weights["f16"].RequireFloats());
        Assert.Equal([-1f, 4f, 126.5f], model.Weights["u8"].RequireFloats());
        Assert.Equal([-1, 2048], model.Weights["i32"].RequireInts());
        Assert.Null(model.Weights["i32"].Floats);
    }

    [Fact]
    public void Concatenates_shards_in_manifest_order()
    {
        var g = new TfJsGraphBuilder();
        g.Const("a", [3], [1f, 2f, 3f]);
        g.Const("b", [1], [4f]);
        var json = JsonNode.Parse(g.Json())!;
        json["weightsManifest"]![0]!["paths"] = new JsonArray("part1.bin", "part2.bin");
        byte[] bin = g.Bin();
        // The split falls inside tensor "a", as TF.js's 4 MB shards do.
        var model = TfJsModel.Parse(json.ToJsonString(), p => p == "part1.bin" ? bin[..5] : bin[5..], "test");
        Assert.Equal([1f, 2f, 3f], model.Weights["a"].RequireFloats());
        Assert.Equal([4f], model.Weights["b"].RequireFloats());
    }

    [Fact]
    public void Truncated_shard_is_refused_naming_the_weight()
    {
        var g = new TfJsGraphBuilder();
        g.Const("a", [2], [1f, 2f]);
        g.Const("b", [4], [1f, 2f, 3f, 4f]);
        var e = Assert.Throws<ModelFormatException>(() => g.Build(g.Bin()[..^3]));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Shard_longer_than_the_manifest_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.Const("a", [1], [1f]);
        var e = Assert.Throws<ModelFormatException>(() => g.Build([.. g.Bin(), 0, 0, 0, 0]));
        Assert.Contains("manifest describes 4", e.Message);
    }

    [Fact]
    public void Unknown_dtype_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.Const("a", [1], [1f]);
        var json = JsonNode.Parse(g.Json())!;
        json["weightsManifest"]![0]!["weights"]![0]!["dtype"] = "complex64";
        var e = Assert.Throws<ModelFormatException>(() => TfJsModel.Parse(json.ToJsonString(), _ => g.Bin(), "test"));
        Assert.Contains("complex64", e.Message);
    }

    [Fact]
    public void Quantised_weight_without_scale_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.ConstUint8("q", [1], [3], 1f, 0f);
        var json = JsonNode.Parse(g.Json())!;
        json["weightsManifest"]![0]!["weights"]![0]!["quantization"]!.AsObject().Remove("scale");
        var e = Assert.Throws<ModelFormatException>(() => TfJsModel.Parse(json.ToJsonString(), _ => g.Bin(), "test"));
        Assert.Contains("'scale'", e.Message);
    }

    [Fact]
    public void Constant_without_manifest_entry_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.Const("a", [1], [1f]);
        var json = JsonNode.Parse(g.Json())!;
        json["modelTopology"]!["node"]!.AsArray().Add(new JsonObject { ["name"] = "orphan", ["op"] = "Const" });
        var e = Assert.Throws<ModelFormatException>(() => TfJsModel.Parse(json.ToJsonString(), _ => g.Bin(), "test"));
        Assert.Contains("'orphan'", e.Message);
    }

    [Fact]
    public void Node_reading_an_undefined_name_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 2, 2, 1);
        g.Node("y", "Relu", ["nowhere"]);
        var e = Assert.Throws<ModelFormatException>(() => g.Build());
        Assert.Contains("'nowhere'", e.Message);
    }

    [Fact]
    public void Output_index_suffixes_and_control_inputs_are_resolved()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 2, 2, 1);
        g.Node("y", "Relu", ["x:0", "^x"]);
        Assert.Equal(["x"], g.Build().Node("y").Inputs);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"modelTopology\": {\"node\": []}}")]
    [InlineData("{\"format\": \"layers-model\", \"modelTopology\": {\"node\": []}, \"weightsManifest\": []}")]
    [InlineData("{\"modelTopology\": {\"node\": [{\"op\": \"Relu\"}]}, \"weightsManifest\": []}")]
    [InlineData("{\"modelTopology\": {\"node\": []}, \"weightsManifest\": [{\"paths\": [\"a.bin\"], \"weights\": [{\"name\": \"w\", \"dtype\": \"float32\"}]}]}")]
    [InlineData("{\"modelTopology\": {\"node\": []}, \"weightsManifest\": [{\"paths\": [\"a.bin\"], \"weights\": [{\"name\": 5, \"shape\": [1], \"dtype\": \"float32\"}]}]}")]
    public void Malformed_json_is_a_model_format_error(string json)
    {
        Assert.Throws<ModelFormatException>(() => TfJsModel.Parse(json, _ => new byte[4], "test"));
    }

    [Fact]
    public void Shard_path_outside_the_model_folder_is_refused()
    {
        string dir = Directory.CreateTempSubdirectory("tfjs").FullName;
        try
        {
            var g = new TfJsGraphBuilder();
            g.Const("a", [1], [1f]);
            var json = JsonNode.Parse(g.Json())!;
            json["weightsManifest"]![0]!["paths"] = new JsonArray("../secret.bin");
            File.WriteAllText(Path.Combine(dir, "model.json"), json.ToJsonString());
            var e = Assert.Throws<ModelFormatException>(() => TfJsModel.Load(Path.Combine(dir, "model.json")));
            Assert.Contains("beside the model JSON", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
