"""q02 -- modern CNNs (ex04, ex05): 1x1 convolutions, Inception, ResNet, DenseNet."""
from __future__ import annotations

from grader.core.i18n import N_, _
from grader.judge.quizkit import Dice, Quiz, choice_question, count_question, shape_question, show_count, show_shape
from grader.quizzes import formulas as F
from grader.quizzes.q01_conv_arithmetic import hwc

QUIZ = Quiz("q02", N_("Modern CNNs"),
            N_("1x1 convolutions, bottlenecks, Inception, ResNet and DenseNet blocks (ex04, ex05)"))


@QUIZ.template()
def one_by_one_shape(d: Dice):
    h = d.choice([7, 14, 15, 28, 56])
    w = h if d.chance(0.8) else d.integers(7, 64)
    c, filters, s = d.choice([64, 128, 192, 256, 480, 512, 832]), d.choice([16, 32, 64, 96, 128]), d.choice([1, 1, 2])
    answer = F.conv_shape((h, w, c), filters, 1, s, "valid")
    return shape_question(
        _("A 1x1 Conv2D with {filters} filters and stride {s} is applied to a {h}x{w}x{c} feature map. What is the "
          "output shape?").format(filters=filters, s=s, h=h, w=w, c=c),
        answer, hwc(),
        _("A 1x1 convolution looks at one pixel at a time: height ⌊({h} − 1) / {s}⌋ + 1 = {oh}, width "
          "⌊({w} − 1) / {s}⌋ + 1 = {ow}; it mixes the {c} channels of each pixel into {filters} new ones.").format(
            h=h, w=w, s=s, oh=answer[0], ow=answer[1], c=c, filters=filters),
        h=h, w=w, c=c, filters=filters, s=s)


@QUIZ.template()
def bottleneck_params(d: Dice):
    c = d.choice([64, 128, 256, 512])
    r = d.choice([c // 4, c // 2, 16, 32])
    direct, answer = F.conv_params(3, c, c), F.bottleneck_params(c, r)
    return count_question(
        _("A 3x3 Conv2D from {c} to {c} channels has {direct} parameters. A bottleneck first reduces the {c} "
          "channels to {r} with a 1x1 convolution, then applies a 3x3 convolution from {r} back to {c} channels. "
          "How many parameters does the bottleneck have (with biases)?").format(c=c, r=r, direct=show_count(direct)),
        answer,
        _("1x1: ({c} + 1)·{r} = {p1}; 3x3: (3·3·{r} + 1)·{c} = {p2}; together {answer}, {ratio} times fewer than "
          "the direct 3x3 convolution.").format(
            c=c, r=r, p1=show_count(F.conv_params(1, c, r)), p2=show_count(F.conv_params(3, r, c)),
            answer=show_count(answer), ratio=f"{direct / answer:.1f}"),
        channels=c, reduced=r)


@QUIZ.template()
def inception_output_shape(d: Dice):
    h = d.choice([7, 14, 28])
    c = d.choice([192, 256, 480, 512, 528, 832])
    f1, f3r, f3 = d.choice([64, 112, 128, 160, 192, 256]), d.choice([96, 112, 128, 144, 160, 192]), \
        d.choice([128, 192, 208, 224, 256, 288, 320, 384])
    f5r, f5, pp = d.choice([16, 24, 32, 48]), d.choice([32, 48, 64, 96, 128]), d.choice([32, 64, 128])
    channels = F.inception_channels(f1, f3, f5, pp)
    return shape_question(
        _("An Inception block receives a {h}x{w}x{c} feature map. Its branches, all with stride 1 and padding "
          "'same': a 1x1 conv with {f1} filters; a 1x1 conv with {f3r} filters, then a 3x3 conv with {f3}; a 1x1 conv "
          "with {f5r} filters, then a 5x5 conv with {f5}; a 3x3 max pooling, then a 1x1 conv with {pp}. The branches "
          "are concatenated on the channels. What is the output shape?").format(
            h=h, w=h, c=c, f1=f1, f3r=f3r, f3=f3, f5r=f5r, f5=f5, pp=pp),
        (h, h, channels), hwc(),
        _("Stride 1 and 'same' padding keep {h}x{w} in every branch; the concatenation adds up the channels of the "
          "branch outputs: {f1} + {f3} + {f5} + {pp} = {channels}. The reducing 1x1 layers ({f3r}, {f5r}) are inside "
          "the branches and do not count.").format(h=h, w=h, f1=f1, f3=f3, f5=f5, pp=pp, channels=channels,
                                                  f3r=f3r, f5r=f5r),
        h=h, w=h, c=c, f1=f1, f3_reduce=f3r, f3=f3, f5_reduce=f5r, f5=f5, pool_proj=pp)


@QUIZ.template()
def residual_output_shape(d: Dice):
    h = d.choice([56, 28, 14, 7, 32, 16, 15])
    c, s = d.choice([64, 128, 256]), d.choice([1, 2])
    filters = d.choice([c, 2 * c])
    answer = F.conv_shape((h, h, c), filters, 3, s, "same")
    if s == 1 and filters == c:
        why = _("With stride 1 and {filters} filters for {c} input channels the shape does not change and the "
                "shortcut is the identity: {answer}.")
    else:
        why = _("The first convolution gives ⌈{h} / {s}⌉ = {oh} pixels per side and {filters} channels; the "
                "shortcut must have that shape too, so it becomes a 1x1 convolution with stride {s} and {filters} "
                "filters (plus BN): {answer}.")
    return shape_question(
        _("A residual block (3x3 conv with stride {s}, BN, ReLU, 3x3 conv, BN, plus the shortcut, then ReLU; "
          "convolutions with padding 'same') with {filters} filters receives a {h}x{w}x{c} input. What is the "
          "output shape?").format(s=s, filters=filters, h=h, w=h, c=c),
        answer, hwc(),
        why.format(filters=filters, c=c, answer=show_shape(answer), h=h, s=s, oh=answer[0]),
        h=h, w=h, c=c, filters=filters, s=s)


@QUIZ.template()
def shortcut_params(d: Dice):
    c = d.choice([64, 128, 256, 512])
    filters, s = d.choice([2 * c, 4 * c]), d.choice([1, 2])
    conv, bn = F.conv_params(1, c, filters), F.batchnorm_params(filters)
    return count_question(
        _("When a residual block changes the shape, its shortcut is a 1x1 Conv2D with {filters} filters and stride "
          "{s} (with bias), followed by BatchNormalization. The block input has {c} channels. How many parameters "
          "does this shortcut have, counting BatchNormalization's moving mean and variance as count_params() "
          "does?").format(filters=filters, s=s, c=c),
        conv + bn,
        _("1x1 conv: ({c} + 1)·{filters} = {conv}; BatchNormalization: 4·{filters} = {bn} (gamma, beta, moving "
          "mean, moving variance); total {answer}. The stride changes no parameter count.").format(
            c=c, filters=filters, conv=show_count(conv), bn=show_count(bn), answer=show_count(conv + bn)),
        c=c, filters=filters, s=s)


@QUIZ.template()
def densenet_channels(d: Dice):
    c0, layers, k = d.choice([24, 32, 64, 128, 256]), d.choice([4, 6, 12, 16, 24]), d.choice([12, 24, 32])
    theta = 0.5
    block = F.dense_block_channels(c0, layers, k)
    answer = F.transition_channels(block, theta)
    return count_question(
        _("A DenseNet dense block with {layers} layers and growth rate {k} receives {c0} channels; a transition "
          "layer with compression {theta} follows. How many channels leave the transition layer?").format(
            layers=layers, k=k, c0=c0, theta=theta),
        answer,
        _("Every layer concatenates {k} new channels to everything before it: {c0} + {layers}·{k} = {block}; the "
          "transition's 1x1 convolution keeps ⌊{block}·{theta}⌋ = {answer}.").format(
            k=k, c0=c0, layers=layers, block=block, theta=theta, answer=answer),
        c0=c0, layers=layers, k=k, compression=theta)


@QUIZ.template()
def resnet_skip(d: Dice):
    return choice_question(
        d, _("What problem does ResNet's skip connection (output = F(x) + x) mainly fix?"),
        _("Very deep plain networks train worse than shallower ones: the block only learns a residual, and the "
          "gradient flows back through the identity"),
        [_("Too many parameters: the skip connection lets the block drop most of its convolution weights"),
         _("Overfitting: the skip connection randomly switches blocks off during training, like dropout"),
         _("The loss of resolution caused by pooling: the skip connection carries the full-size image forward")],
        _("Adding x lets a block fall back to the identity (F = 0), so extra depth cannot make the network worse, "
          "and the addition passes gradients straight to earlier layers. The skip connection adds no parameters "
          "when the shapes match."))


@QUIZ.template()
def one_by_one_role(d: Dice):
    return choice_question(
        d, _("What does a 1x1 convolution do to the channels of a feature map?"),
        _("It mixes the channels at each pixel into a chosen number of new channels, often fewer, to make the next "
          "3x3 or 5x5 convolution cheaper"),
        [_("It blurs each channel with its neighbouring pixels, which removes noise before the next convolution"),
         _("It halves the height and width while keeping the channels, like a cheaper max pooling"),
         _("Nothing: with a 1x1 kernel every output equals its input pixel, so it is the identity")],
        _("A 1x1 convolution is a Dense layer applied at every pixel: height and width stay, the C input channels "
          "become as many channels as it has filters. GoogLeNet and ResNet's bottlenecks use it to reduce the "
          "channels before expensive convolutions."))


@QUIZ.template()
def vgg_3x3(d: Dice):
    return choice_question(
        d, _("Why does VGG use stacks of 3x3 convolutions instead of single 7x7 ones?"),
        _("Three 3x3 layers see the same 7x7 region with fewer parameters and more non-linearities"),
        [_("GPUs can only compute 3x3 kernels efficiently, so larger kernels were not possible"),
         _("A 7x7 kernel cannot use padding 'same', so the feature maps would shrink too fast"),
         _("Stacking makes the receptive field smaller, which prevents overfitting")],
        _("Three 3x3 layers from C to C channels have 3·9·C² = 27C² weights, one 7x7 layer has 49C²; both see a "
          "7x7 window, and the stack has three ReLUs instead of one."))


# ------------------------------------------------------------------ transfer learning (ex12)
@QUIZ.template()
def transfer_head_params(d: Dice):
    h = d.choice([4, 7, 8, 14])
    c, k = d.choice([64, 256, 512, 1280, 2048]), d.choice([2, 5, 10, 37, 100])
    flatten = d.chance(0.3)
    pooled = "Flatten" if flatten else "GlobalAveragePooling2D"
    answer = F.flatten_dense_params((h, h, c), k) if flatten else F.dense_params(c, k)
    return count_question(
        _("A frozen pretrained base outputs a {h}x{h}x{c} feature map. The new head is {pooled}, Dropout(0.2), "
          "Dense({k}, softmax). How many trainable parameters does the transfer model have?").format(
            h=h, c=c, pooled=pooled, k=k),
        answer,
        (_("Only the Dense layer trains: Flatten hands it {h}·{h}·{c} = {n} numbers, so ({n} + 1)·{k} = {answer}. "
           "GlobalAveragePooling2D would leave ({c} + 1)·{k}.") if flatten else
         _("Only the Dense layer trains: GlobalAveragePooling2D leaves one number per channel, so ({c} + 1)·{k} = "
           "{answer}; the frozen base and Dropout add none.")).format(
            h=h, c=c, k=k, n=show_count(h * h * c), answer=show_count(answer)),
        h=h, c=c, classes=k, pooling=pooled)


@QUIZ.template()
def frozen_batchnorm(d: Dice):
    return choice_question(
        d, _("In Keras 3 you fine-tune a pretrained base that has BatchNormalization layers. Which setting keeps "
             "their moving mean and variance unchanged during fit?"),
        _("Setting those BatchNormalization layers' trainable = False: a frozen BatchNormalization layer runs in "
          "inference mode"),
        [_("Calling the base with training=False is enough, even if its BatchNormalization layers stay trainable"),
         _("A small learning rate such as 1e-5: the moving statistics then change only a little"),
         _("Adding Dropout after the base: it keeps the statistics of the features fixed")],
        _("The moving statistics are not trained by gradients, so the learning rate does not protect them. In "
          "Keras 3 only a frozen BatchNormalization layer stays in inference mode during fit; training=False at "
          "the call does not keep a trainable one from updating them (keras-team/keras#20285)."))


@QUIZ.template()
def inverted_dropout(d: Dice):
    return choice_question(
        d, _("Keras's Dropout(rate) is inverted dropout. What does it do with the elements it keeps during training, "
             "and what does it do at inference?"),
        _("It divides the kept elements by 1 − rate, so the expected output equals the input; at inference it "
          "returns its input unchanged"),
        [_("It keeps them as they are; at inference it multiplies every element by 1 − rate"),
         _("It multiplies them by rate; at inference it drops the same fraction rate of the elements"),
         _("It keeps them as they are; at inference it drops a fixed mask chosen once during training")],
        _("Each element is kept with probability 1 − rate and divided by 1 − rate, so its expected value is the "
          "input: nothing needs rescaling at inference, where the layer is the identity. The original dropout "
          "scaled at inference instead (by 1 − rate); the inverted form moves that work into training (ex13)."))


@QUIZ.template()
def augmentation_choice(d: Dice):
    return choice_question(
        d, _("A classifier must tell circles, squares and upward-pointing triangles apart. Which random "
             "augmentation would hurt it?"),
        _("A vertical flip: an upside-down triangle is not an example of any class in the data"),
        [_("A horizontal flip: a mirrored shape belongs to another class"),
         _("A small translation: moving a shape by 10% of the image changes its class"),
         _("A small rotation of up to 18 degrees: any rotation turns a square into another class")],
        _("Augmentation must produce images that could have been in the data, with the same label. Mirroring "
          "left-right, shifting a little and turning a little keep every class; turning the image upside down "
          "makes triangles that point down, which the data never has (ex13)."))
